"""Publishing: a whole site or nothing; the previous site stays until a new one is whole, and the
operator hears what the generated pages cannot follow."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generator.load.history import History
from generator.pipeline import build, validate_root
from generator.publish import PublishError, build_site, site_config
from generator.render.page import Heading, Page
from generator.render.site import Part, Plan, Rendered, plan_site
from tests.conftest import FIXTURES, ROOT


def project(tmp_path: Path, settings: str | None = None, **content: str) -> Path:
    """The example registry with the site's own settings, content and overrides, changed as
    given (`content`: hand-written pages by path)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "example", root)
    for part in ("content", "site_overrides"):
        shutil.copytree(ROOT / part, root / part)
    (root / "mkdocs.yml").write_text(settings or (ROOT / "mkdocs.yml").read_text())
    for path, text in content.items():
        (root / "content" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / path).write_text(text)
    return root


def planned(root: Path) -> Plan:
    return plan_site(validate_root(root), History(), site_config(root))


def with_page(plan: Plan, path: str, change) -> Plan:
    """The plan with the page at `path` changed by `change` (a Page → a Page)."""

    def changed(part: Part) -> Part:
        def make() -> Rendered:
            made = part.make()
            if path in made.pages:
                made.pages[path] = change(made.pages[path])
            return made

        return Part(part.name, make, part.inputs)

    return Plan(
        [changed(p) for p in plan.nav],
        [changed(p) for p in plan.records],
        plan.data,
        plan.record_pages,
        plan.docs,
        plan.config,
    )


def test_a_broken_anchor_fails_the_build_and_keeps_the_old_site(tmp_path):
    root = project(tmp_path)
    about = root / "content/about.md"
    about.write_text(about.read_text() + "\n[gone](projects/index.md#no-such)\n")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous")
    with pytest.raises(
        PublishError,
        match=r"1 internal link.*\ncontent/about\.md: about/index\.html: \.\./projects/#no-such — .* no anchor #no-such$",
    ):
        build_site(root, planned(root), out)
    assert (out / "index.html").read_text() == "previous"
    assert not any(p.name.startswith(".jcm-build-") for p in tmp_path.iterdir())


def test_a_broken_link_in_a_generated_page_fails_the_build(tmp_path):
    root = project(tmp_path)
    plan = with_page(
        planned(root),
        "projects/XA001.md",
        lambda page: Page(
            page.path,
            page.title,
            page.description,
            page.body + '<p><a href="../NOPE/">x</a></p>',
            page.toc,
            edit=page.edit,
        ),
    )
    with pytest.raises(
        PublishError,
        match=r"data/projects/XA001/project\.yaml: projects/XA001/index.html: \.\./NOPE/ — no such",
    ):
        build_site(root, plan, tmp_path / "site")


def test_a_hand_written_page_in_a_generated_pages_place_is_refused(tmp_path):
    root = project(tmp_path, **{"projects/XA001.md": "# Mine\n"})
    with pytest.raises(PublishError, match=r"would replace hand-written ones: projects/XA001/"):
        build_site(root, planned(root), tmp_path / "site")
    root = project(tmp_path / "2", **{"projects/index.md": "# Mine\n"})
    with pytest.raises(PublishError, match=r"content/projects/index\.md is in the place of"):
        build_site(root, planned(root), tmp_path / "site")


def test_settings_generated_pages_cannot_follow_are_refused(tmp_path):
    settings = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("use_directory_urls: true", "use_directory_urls: false")
    )
    root = project(tmp_path, settings)
    with pytest.raises(PublishError, match="use_directory_urls: false is not supported"):
        build_site(root, planned(root), tmp_path / "site")
    settings = (ROOT / "mkdocs.yml").read_text().split("\nnav:")[0]
    root = project(tmp_path / "2", settings)
    with pytest.raises(PublishError, match="needs a `nav`"):
        build_site(root, planned(root), tmp_path / "site")
    settings = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("  - Projects: projects/index.md", "  - projects/index.md")
    )
    root = project(tmp_path / "3", settings)
    with pytest.raises(PublishError, match=r"entry for projects/index\.md a title"):
        build_site(root, planned(root), tmp_path / "site")


def test_a_plugin_that_acts_on_pages_is_named_as_not_applied_to_generated_pages(tmp_path):
    settings = (ROOT / "mkdocs.yml").read_text().replace("plugins: []", "plugins: [search]")
    root = project(tmp_path, settings)
    result = build(root, tmp_path / "site")
    assert result.site is not None
    (note,) = [n for n in result.notes if "plugins" in n]
    assert "(material/search)" in note and "not to the 28 generated pages" in note


def test_the_site_has_every_page_in_its_sitemap_and_no_probe(example_site):
    probes = [p for p in example_site.rglob("*") if "jcm-probe" in p.as_posix()]
    assert probes == []
    for page in example_site.rglob("*.html"):
        assert "jcm-probe" not in page.read_text("utf-8"), page
    xml = (example_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((example_site / "sitemap.xml.gz").read_bytes()) == xml
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {e.text for e in ET.fromstring(xml).findall("s:url/s:loc", ns)}
    pages = {
        p.relative_to(example_site).as_posix().removesuffix("index.html") or "./"
        for p in example_site.rglob("index.html")
    }
    assert listed == pages
    assert {"./", "projects/XA001/", "about/", "reference/codes/"} <= listed


def test_a_site_url_makes_the_sitemap_absolute(tmp_path):
    settings = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace('site_url: ""', 'site_url: "https://registry.example.org/jcm/"')
    )
    root = project(tmp_path, settings)
    out = build(root, tmp_path / "site").site
    xml = (out / "sitemap.xml").read_text()
    assert "<loc>https://registry.example.org/jcm/projects/XA001/</loc>" in xml
    page = (out / "projects/XA001/index.html").read_text()
    assert '<link rel="canonical" href="https://registry.example.org/jcm/projects/XA001/">' in page


def test_a_page_starts_with_its_title(tmp_path):
    root = project(tmp_path)
    plan = with_page(
        planned(root),
        "projects/XA001.md",
        lambda page: Page(page.path, page.title, "", "<p>x</p>", (Heading(2, "a", "A"),)),
    )
    with pytest.raises(PublishError, match="starts with its title"):
        build_site(root, plan, tmp_path / "site")
