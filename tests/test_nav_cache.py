"""The navigation rendered once for pages that would render it alike: the site is the one mkdocs
builds without it, and pages whose links point elsewhere get their own navigation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.page_cache import install

REPOSITORY = Path(__file__).resolve().parents[1]
PAGES = {
    "index.md": "# Home\n",
    "projects/index.md": "# Projects\n\n[P1](p1.md)\n",
    "countries/index.md": "# Countries\n",
    "about.md": "# About\n",
    # outside the navigation: same depth under different folders, deeper, shallower
    "projects/p1.md": "# P1\n\n[Countries](../countries/index.md)\n",
    "projects/p2.md": "# P2\n",
    "countries/c1.md": "# C1\n",
    "countries/c2.md": "# C2\n",
    "decisions/XA/d1.md": "# D1\n",
    "decisions/XA/d2.md": "# D2\n",
    "decisions/XB/d3.md": "# D3\n",
    "loose.md": "# Loose\n",
}


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    for name, text in PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        (REPOSITORY / "mkdocs.yml")
        .read_text("utf-8")
        .split("\nnav:\n")[0]
        .replace("custom_dir: site_overrides", f"custom_dir: {REPOSITORY / 'site_overrides'}")
        + "\nnav:\n  - Home: index.md\n  - Projects: projects/index.md\n"
        "  - Places:\n      - Countries: countries/index.md\n      - About: about.md\n",
        encoding="utf-8",
    )
    return docs


def _build(tmp_path: Path, site: str, **plugin):
    config = load_config(
        str(tmp_path / "mkdocs.yml"),
        docs_dir=str(tmp_path / "docs"),
        site_dir=str(tmp_path / site),
    )
    installed = install(config, None, **plugin) if plugin else None
    mkdocs_build(config)
    return installed


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("parallel", [False, True])
def test_the_site_is_the_one_mkdocs_builds(tmp_path, monkeypatch, parallel):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _docs(tmp_path)
    _build(tmp_path, "plain")
    plugin = _build(tmp_path, "cached", parallel=parallel)
    assert _digests(tmp_path / "plain") == _digests(tmp_path / "cached")
    if not parallel:
        # d1 and d2 share theirs, as do p1 and p2, and c1 and c2; d3 (another folder at the
        # same depth) links alike too; loose.md and the navigation's own pages render anew
        assert plugin.nav_cache.hits == 4
        assert len(plugin.nav_cache.kept) == 4


def test_pages_in_the_navigation_and_pages_linking_elsewhere_have_their_own(tmp_path):
    _docs(tmp_path)
    plugin = _build(tmp_path, "cached", parallel=False)
    nav_cache = plugin.nav_cache
    navs = {}
    for site_path in ["projects/p1/index.html", "countries/c1/index.html"]:
        html = (tmp_path / "cached" / site_path).read_text("utf-8")
        navs[site_path] = html.split('data-md-level="0"', 1)[1].split("</nav>", 1)[0]
    # from projects/p1/ the projects index is "../", from countries/c1/ it is "../../projects/"
    assert 'href="../"' in navs["projects/p1/index.html"]
    assert 'href="../../projects/"' in navs["countries/c1/index.html"]
    assert nav_cache.in_nav == {"index.md", "projects/index.md", "countries/index.md", "about.md"}


def test_an_override_of_a_navigation_partial_turns_the_sharing_off(tmp_path):
    _docs(tmp_path)
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "nav-item.html").write_text(
        (Path(__import__("material").__file__).parent / "templates/partials/nav-item.html")
        .read_text("utf-8")
        .replace('class="md-nav__link"', 'class="md-nav__link" title="{{ page.title }}"'),
        encoding="utf-8",
    )
    config_file = tmp_path / "mkdocs.yml"
    text = config_file.read_text("utf-8")
    config_file.write_text(
        text.replace(
            f"custom_dir: {REPOSITORY / 'site_overrides'}", f"custom_dir: {overrides.parent}"
        ),
        encoding="utf-8",
    )
    plugin = _build(tmp_path, "cached", parallel=False)
    assert plugin.nav_cache.hits == 0
    html = (tmp_path / "cached" / "projects/p2/index.html").read_text("utf-8")
    assert 'title="P2"' in html
