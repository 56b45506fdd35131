"""The theme's settings-only blocks rendered once per place: the site is the one mkdocs builds
without it, and a block that reads the page is rendered for every page."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.test_nav_cache import REPOSITORY, _build, _digests, _docs


def test_blocks_that_read_only_settings_are_shared_and_the_site_is_the_same(tmp_path):
    _docs(tmp_path)
    _build(tmp_path, "plain")
    plugin = _build(tmp_path, "shared", parallel=False)
    assert _digests(tmp_path / "plain") == _digests(tmp_path / "shared")
    shared = set(plugin.block_cache.shared)
    assert {("base.html", "config"), ("base.html", "styles"), ("base.html", "scripts")} <= shared
    assert ("main.html", "announce") in shared
    assert ("partials/languages/en.html", "t") in shared
    for partial in ("palette", "header-palette", "header-search", "search"):
        assert (f"partials/{partial}.html", "") in shared
    assert plugin.block_cache.hits > 0


def _overrides(tmp_path: Path) -> Path:
    """A copy of the site's overrides, used by the test's mkdocs.yml (written by `_docs`)."""
    overrides = tmp_path / "overrides"
    shutil.copytree(REPOSITORY / "site_overrides", overrides)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(str(REPOSITORY / "site_overrides"), str(overrides)),
        "utf-8",
    )
    return overrides


def _built_alike(tmp_path: Path):
    """The plugin of a build with the caches, after checking its site is the plain one."""
    _build(tmp_path, "plain")
    plugin = _build(tmp_path, "shared", parallel=False)
    assert _digests(tmp_path / "plain") == _digests(tmp_path / "shared")
    return plugin


def test_a_block_an_operator_makes_read_the_page_is_not_shared(tmp_path):
    _docs(tmp_path)
    overrides = _overrides(tmp_path)
    main = overrides / "main.html"
    text = main.read_text("utf-8")
    notice = "{{ config.extra.data_notice | e }}"
    assert notice in text
    main.write_text(text.replace(notice, notice + " ({{ page.title if page else '' }})"), "utf-8")
    plugin = _built_alike(tmp_path)
    assert ("main.html", "announce") not in plugin.block_cache.shared
    assert ("base.html", "config") in plugin.block_cache.shared
    page = (tmp_path / "shared" / "projects" / "p1" / "index.html").read_text("utf-8")
    assert "(P1)</p>" in page


def _reads_only_settings(source: str) -> tuple[bool, list[str]]:
    from types import SimpleNamespace

    import jinja2

    from generator.block_cache import _Reader

    config = SimpleNamespace(
        theme=SimpleNamespace(custom_dir=None), extra_javascript=[], extra_css=[], extra={}
    )
    reader = _Reader(jinja2.Environment(), config)
    addresses: list[str] = []
    return reader.reads_only_settings(jinja2.Environment().parse(source), set(), addresses), (
        addresses
    )


@pytest.mark.parametrize(
    "source",
    [
        "[{{ config._current_page.title }}]",
        "{% block inner %}x{% endblock %}",
        "{% if false %}{% set page = none %}{% endif %}{{ page.title }}",
        "{% macro m(page) %}{% endmacro %}{{ page.url }}",
        "{% for page in [1] %}{% endfor %}{{ page.url }}",
        "{{ (base_url ~ 'x') | url }}",
        "{{ nav | length }}",
        "{{ config['_current_page'] }}",
        "{{ page_title | upper }}",
        "{% include 'partials/' ~ config.x ~ '.html' %}",
    ],
)
def test_a_block_that_could_read_the_page_is_not_shared(source):
    assert _reads_only_settings(source)[0] is False


def test_a_block_that_reads_settings_is_shared_with_the_addresses_it_makes_relative():
    assert _reads_only_settings("{{ config.extra.data_notice | e }}") == (True, [])
    shared, addresses = _reads_only_settings(
        "{{ 'assets/x.css' | url }}{% for s in config.extra_javascript %}{{ s | script_tag }}"
        "{% endfor %}"
    )
    assert shared and addresses == ["assets/x.css"]  # the site lists no extra scripts


@pytest.mark.parametrize(
    ("source", "shared"),
    [
        ("{% for o in config.x %}{{ o.name }} {{ loop.index0 }}{% endfor %}", True),
        (
            "{% for o in config.x %}{% for p in loop.cycle(1, 2) %}{{ loop.index }}{% endfor %}"
            "{% endfor %}",
            True,
        ),
        ("{{ loop.index }}", False),  # the loop of the template that includes it
        ("{% for o in config.x %}{% endfor %}{{ loop.index }}", False),
        ("{% for o in config.x %}{% else %}{{ loop.index }}{% endfor %}", False),
        ("{% for o in config.x if loop %}{{ o }}{% endfor %}", False),
        ("{% for o in config.x %}{% macro m() %}{{ loop.index }}{% endmacro %}{% endfor %}", False),
    ],
)
def test_a_partial_may_read_the_loop_of_its_own_for_only(source, shared):
    import jinja2

    from generator.block_cache import _PARTIAL_NAMES, _Reader

    config = SimpleNamespace(theme=SimpleNamespace(custom_dir=None), extra={})
    reader = _Reader(jinja2.Environment(), config)
    tree = jinja2.Environment().parse(source)
    assert reader.reads_only_settings(tree, set(), [], _PARTIAL_NAMES) is shared


def test_pages_whose_addresses_lead_elsewhere_get_their_own_blocks(tmp_path):
    """`get_relative_url` cancels the folders a page shares with an address: a page under
    `assets/` reaches the theme's stylesheet otherwise than one under `bar/` at its depth."""
    _docs(tmp_path)
    for name in ("bar/foo.md", "assets/foo.md", "assets/bar/baz.md"):
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text("# Page\n", encoding="utf-8")
    _build(tmp_path, "plain")
    _build(tmp_path, "shared", parallel=False)
    assert _digests(tmp_path / "plain") == _digests(tmp_path / "shared")
    page = (tmp_path / "shared" / "assets" / "foo" / "index.html").read_text("utf-8")
    assert 'href="../stylesheets/' in page


def test_pages_with_the_same_contents_table_share_it_and_the_site_is_the_same(tmp_path):
    docs = _docs(tmp_path)
    pages = {
        "t/a.md": "# A\n\n## Figures\n\n### 2020\n\n## Sources\n",
        "t/b.md": "# B\n\n## Figures\n\n### 2020\n\n## Sources\n",  # a's table, another title
        "t/c.md": "# C\n\n## Figures\n\n### 2021\n\n## Sources\n",  # one entry differs
        "t/d.md": "## Figures\n\n### 2020\n\n## Sources\n",  # no title: every entry shown
        "t/e.md": "# E\n\n## Figures <em>&amp;</em> more\n",
    }
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    plugin = _built_alike(tmp_path)
    tables = [key for key in plugin.block_cache.kept if key[0] == "partials/toc.html"]
    # the pages of PAGES (only a title) share one, a and b another; c, d and e their own
    assert len(tables) == 5
    page = (tmp_path / "shared" / "t" / "e" / "index.html").read_text("utf-8")
    assert "Figures <em>&amp;</em> more" in page.split("md-nav--secondary")[1]


def test_a_partial_included_with_other_settings_is_rendered_for_that_page():
    from generator.block_cache import BlockCache

    cache = BlockCache()
    config = SimpleNamespace()
    cache._config, cache._features = config, ["navigation.top"]
    lang = SimpleNamespace(__name__="partials/language.html")
    settled = {"config": config, "features": ["navigation.top"], "lang": lang}
    assert cache._settled(settled)
    for name, other in [
        ("config", SimpleNamespace()),
        ("features", []),
        ("lang", SimpleNamespace(__name__="mine.html")),
    ]:
        assert not cache._settled({**settled, name: other})


def test_only_anchor_links_make_a_contents_table_key():
    from mkdocs.structure.toc import AnchorLink

    from generator.block_cache import _shown_toc

    title = AnchorLink("T", "t", 1)
    part = AnchorLink("Part", "part", 2)
    title.children = [part]
    assert _shown_toc([title]) == ("under the title", ((2, "Part", "#part", "part", ()),))
    assert _shown_toc([part]) == ((2, "Part", "#part", "part", ()),)
    part.typeset = {"title": "x"}
    assert _shown_toc([title]) is None
    assert _shown_toc([SimpleNamespace(level=2)]) is None
    assert _shown_toc(None) is None


def test_an_override_of_a_contents_partial_turns_its_sharing_off(tmp_path):
    import material

    _docs(tmp_path)
    overrides = _overrides(tmp_path)
    (overrides / "partials" / "toc-item.html").write_text(
        (Path(material.__file__).parent / "templates/partials/toc-item.html")
        .read_text("utf-8")
        .replace('class="md-nav__link"', 'class="md-nav__link" title="{{ page.title }}"'),
        encoding="utf-8",
    )
    for name in ("p1", "p2"):  # the same table of contents on two pages
        (tmp_path / "docs" / "projects" / f"{name}.md").write_text(
            f"# {name.upper()}\n\n## Part\n", "utf-8"
        )
    plugin = _built_alike(tmp_path)
    assert ("partials/toc.html", "") not in plugin.block_cache.shared
    assert ("partials/search.html", "") in plugin.block_cache.shared
    page = (tmp_path / "shared" / "projects" / "p2" / "index.html").read_text("utf-8")
    assert 'title="P2"' in page


@pytest.mark.parametrize(
    ("source", "pure"),
    [
        ('{% macro t(key) %}{{ {"a": "A", "b": "B"}[key] }}{% endmacro %}', True),
        ('{% macro t(key) %}{{ {"a": config.site_name}[key] }}{% endmacro %}', False),
        ('{% macro t(key) %}{{ {"a": "A"}[key] | upper }}{% endmacro %}', False),
        ("{% macro t(key) %}{{ lookup(key) }}{% endmacro %}", False),
        ('{% macro t(key, other) %}{{ {"a": "A"}[key] }}{% endmacro %}', False),
        ('{% macro t(key) %}{% include "x.html" %}{% endmacro %}', False),
    ],
)
def test_a_translation_is_remembered_only_when_it_depends_on_its_key_alone(source, pure):
    import jinja2
    from jinja2 import nodes

    from generator.block_cache import _reads_only_its_key

    macro = next(jinja2.Environment().parse(source).find_all(nodes.Macro))
    assert _reads_only_its_key(macro) is pure


def test_remembered_translations_answer_as_the_macro_does():
    from generator.block_cache import _Remembered

    calls = []

    def macro(*args, **kwargs):
        calls.append((args, kwargs))
        return f"<{args[0]}>"

    remembered = _Remembered(macro)
    assert remembered("toc") == remembered("toc") == "<toc>"
    assert remembered(1) == remembered(1) == "<1>"
    assert remembered("toc", caller=None) == "<toc>"
    assert calls == [(("toc",), {}), ((1,), {}), ((1,), {}), (("toc",), {"caller": None})]
