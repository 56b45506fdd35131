"""The theme's settings-only blocks rendered once per place: the site is the one mkdocs builds
without it, and a block that reads the page is rendered for every page."""

from __future__ import annotations

import shutil

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
    assert plugin.block_cache.hits > 0


def test_a_block_an_operator_makes_read_the_page_is_not_shared(tmp_path):
    overrides = tmp_path / "overrides"
    shutil.copytree(REPOSITORY / "site_overrides", overrides)
    main = overrides / "main.html"
    text = main.read_text("utf-8")
    notice = "{{ config.extra.data_notice | e }}"
    assert notice in text
    main.write_text(text.replace(notice, notice + " ({{ page.title if page else '' }})"), "utf-8")
    _docs(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(str(REPOSITORY / "site_overrides"), str(overrides)),
        "utf-8",
    )
    _build(tmp_path, "plain")
    plugin = _build(tmp_path, "shared", parallel=False)
    assert _digests(tmp_path / "plain") == _digests(tmp_path / "shared")
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
