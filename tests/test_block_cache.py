"""The theme's settings-only blocks rendered once per place: the site is the one mkdocs builds
without it, and a block that reads the page is rendered for every page."""

from __future__ import annotations

import shutil

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
