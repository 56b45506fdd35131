"""The theme's page shell, built once per place and filled per page, gives the page the theme
would give: the same article built by mkdocs as an ordinary page and filled into its shell are
the same document. A theme upgrade that changes the shell fails here."""

from __future__ import annotations

import difflib
import html
import json
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.load.history import read_history
from generator.pipeline import build, validate_root
from generator.publish import shells, site_config
from generator.render.page import Heading, Page, output_of
from generator.render.site import plan_site, render_site
from generator.render.views import SiteConfig
from tests.conftest import FIXTURES, ROOT
from tests.publish.dom import normalised

ONE_OF_EACH_KIND = [
    "index.md",
    "projects/index.md",
    "projects/XA001.md",
    "methodologies/XA_AM001.md",
    "countries/XA.md",
    "tpes/example-assurance.md",
    "decisions/XA/2021-04-15-3rd-jc.md",
    "issuances/index.md",
    "public-inputs/index.md",
    "integrity/index.md",
    "changelog/index.md",
    "data/index.md",
]

HOOKS = '''
"""The generated article and table of contents, given to mkdocs as an ordinary page's."""
import json
from pathlib import Path

from mkdocs.structure.toc import get_toc

PAGES = json.loads((Path(__file__).parent / "pages.json").read_text())


def on_page_content(html, page, config, files):
    given = PAGES.get(page.file.src_uri)
    if given is None:
        return html
    page.toc = get_toc(given["toc"])
    return given["body"]


def on_page_context(context, page, config, nav):
    given = PAGES.get(page.file.src_uri)
    if given is not None:
        page.edit_url = given["edit_url"]
    return context
'''


def _project(base: Path) -> Path:
    """The example registry with the site's settings, its edit and view buttons turned on (so
    that they are compared too)."""
    project = base / "project"
    shutil.copytree(FIXTURES / "example", project)
    for part in ("content", "site_overrides"):
        shutil.copytree(ROOT / part, project / part)
    settings = (ROOT / "mkdocs.yml").read_text()
    settings = settings.replace(
        "  features:\n", "  features:\n    - content.action.edit\n    - content.action.view\n"
    ).replace('  repository: ""', '  repository: "https://git.example.org/registry"')
    settings += "repo_url: https://git.example.org/registry\nedit_uri: edit/main/content/\n"
    (project / "mkdocs.yml").write_text(settings)
    return project


def _tokens(entries: tuple[Heading, ...]) -> list[dict]:
    return [
        {"level": h.level, "id": h.id, "name": h.title, "children": _tokens(h.children)}
        for h in entries
    ]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The example's site as built (filled shells), and the same articles built by mkdocs as
    ordinary pages."""
    base = tmp_path_factory.mktemp("shells")
    project = _project(base)
    filled = base / "filled"
    assert build(project, filled).site is not None
    config = site_config(project)
    validation, history = validate_root(project), read_history(project)
    rendered = render_site(validation, history, config)
    docs = base / "docs"
    shutil.copytree(project / "content", docs)
    for path, text in plan_site(validation, history, config).docs.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text)
    given = {}
    for path, page in rendered.pages.items():
        meta = {
            "title": html.escape(page.title, quote=False),
            "description": html.escape(page.description),
        }
        if page.hide:
            meta["hide"] = list(page.hide)
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("---\n" + json.dumps(meta) + "\n---\n")
        edit = config.file_url(page.edit) if page.edit else None
        given[path] = {"body": page.body, "toc": _tokens(page.toc), "edit_url": edit}
    hooks = base / "hooks"
    hooks.mkdir()
    (hooks / "pages.json").write_text(json.dumps(given))
    (hooks / "hooks.py").write_text(HOOKS)
    ordinary = base / "ordinary"
    settings = load_config(
        str(project / "mkdocs.yml"),
        docs_dir=str(docs),
        site_dir=str(ordinary),
        hooks=[str(hooks / "hooks.py")],
    )
    mkdocs_build(settings)
    return filled, ordinary


@pytest.mark.slow
@pytest.mark.parametrize("page", ONE_OF_EACH_KIND)
def test_a_filled_shell_is_the_page_the_theme_would_draw(sites, page):
    filled, ordinary = sites
    ours = normalised((filled / output_of(page)).read_text("utf-8"))
    theirs = normalised((ordinary / output_of(page)).read_text("utf-8"))
    assert ours == theirs, "\n".join(difflib.unified_diff(theirs, ours, lineterm="", n=3))


@pytest.mark.slow
def test_the_comparison_tells_pages_apart(sites):
    """The same comparison sees a page's table of contents, title and edit button."""
    filled, ordinary = sites
    ours = (filled / "projects/XA001/index.html").read_text("utf-8")
    theirs = normalised((ordinary / "projects/XA001/index.html").read_text("utf-8"))
    for change in [
        ('href="#lifecycle" class="md-nav__link"', 'href="#lifecycle2" class="md-nav__link"'),
        ("<title>XA001", "<title>XA002"),
        ("/edit/main/data/projects/XA001/project.yaml", "/edit/main/data/projects/XA002.yaml"),
    ]:
        assert change[0] in ours
        assert normalised(ours.replace(*change)) != theirs


PROBE = """<html><head><title>jcm-probe-title - Site</title>
<meta name="description" content="jcm-probe-description"></head><body>
<a href="#jcm-probe-h1" class="md-skip">Skip</a>
<nav class="md-nav md-nav--secondary" aria-label="Table of contents">
<label class="md-nav__title" for="__toc">Table of contents</label>
<ul class="md-nav__list" data-md-component="toc">
<li class="md-nav__item"><a href="#jcm-probe-toc" class="md-nav__link">
<span class="md-ellipsis">jcm-probe-toc</span></a></li>
</ul>
</nav>
<article><!--jcm-probe-actions--> <!--/jcm-probe-actions--><!--jcm-probe-content--></article>
%s</body></html>"""

PLACE = shells.Place("projects/jcm-probe.md", (), toc=True, own=False)


def _page(body: str, title: str = "A <b>title</b>") -> Page:
    toc = (Heading(1, "t", "T", (Heading(2, "a", "A &amp; b"),)),)
    return Page("projects/X1.md", title, 'said "so"', body, toc)


def test_a_probe_is_split_at_its_markers_and_filled_with_a_page():
    shell = shells.split(PROBE % "", PLACE, "projects/jcm-probe/")
    assert set(shell.slots) == {"title", "description", "skip", "toc", "actions", "content"}
    page = shells.fill(shell, _page("<h1>jcm-probe-title</h1>"), SiteConfig())
    assert "<title>A &lt;b&gt;title&lt;/b&gt; - Site</title>" in page
    assert 'content="said &quot;so&quot;"' in page
    assert 'href="#t" class="md-skip"' in page and 'href="#a"' in page
    # a marker in record text is text of the page, never a place to fill
    assert "<article><h1>jcm-probe-title</h1></article>" in page


def test_a_probe_that_shows_more_of_each_page_is_refused():
    feedback = '<form><div hidden>/projects/jcm-probe/ "jcm-probe-title"</div></form>'
    with pytest.raises(shells.ShellError, match="cannot fill"):
        shells.split((PROBE % feedback).replace("jcm-probe-title - Site", "Site"), PLACE, "x/")


def test_a_probe_without_a_place_for_the_article_is_refused():
    with pytest.raises(shells.ShellError, match="no place for the article"):
        shells.split((PROBE % "").replace("<!--jcm-probe-content-->", ""), PLACE, "x/")


def test_a_page_without_a_title_heading_is_refused():
    shell = shells.split(PROBE % "", PLACE, "projects/jcm-probe/")
    page = Page("projects/X1.md", "t", "d", "<p>no title</p>", (Heading(2, "a", "A"),))
    with pytest.raises(shells.ShellError, match="starts with its title"):
        shells.fill(shell, page, SiteConfig())


def test_places_are_shared_by_section_depth_and_shape():
    page = _page("<h1>x</h1>")
    assert shells.place_of(page, False).probe == "projects/jcm-probe.md"
    deep = Page("decisions/MN/2017-x.md", "t", "d", "", (Heading(1, "t", "T"),))
    assert shells.place_of(deep, False).probe == "decisions/jcm-probe/jcm-probe-flat.md"
    assert shells.place_of(page, True).probe == "projects/X1.md"
