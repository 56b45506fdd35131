"""Full builds of the bundled data and of the example: real engine, search index, downloads."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from generator.pipeline import build
from tests.conftest import FIXTURES


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_bundled_site_has_every_page_kind(bundled_site):
    for page in [
        "index.html",
        "projects/index.html",
        "projects/MN003/index.html",
        "methodologies/MN_AM003/index.html",
        "countries/MN/index.html",
        "tpes/jqa/index.html",
        "decisions/index.html",
        "decisions/MN/2016-09-29-4th-jc/index.html",
        "issuances/index.html",
        "public-inputs/index.html",
        "integrity/index.html",
        "data/index.html",
        "changelog/index.html",
        "about/index.html",
        "glossary/index.html",
        "reference/codes/index.html",
        "pagefind/pagefind.js",
        "manifest.json",
    ]:
        assert (bundled_site / page).exists(), page


def test_no_html_page_over_200_kb(bundled_site):
    sizes = {
        p.relative_to(bundled_site).as_posix(): p.stat().st_size
        for p in bundled_site.rglob("*.html")
    }
    assert {p: s for p, s in sizes.items() if s > 200_000} == {}


def test_no_request_to_a_third_party_in_the_pages(bundled_site):
    """Fonts off, no CDN: every page refers only to the site itself (and links out are <a>)."""
    for page in bundled_site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for marker in ('<script src="http', '<link rel="stylesheet" href="http'):
            assert marker not in html, page


def test_the_data_notice_is_on_every_page(bundled_site):
    for page in list(bundled_site.rglob("*.html"))[:50]:
        assert "not the official registry of either" in page.read_text("utf-8"), page


def test_manifest_lists_every_file_with_its_digest(bundled_site):
    manifest = json.loads((bundled_site / "manifest.json").read_text())
    published = manifest["published"]
    actual = digests(bundled_site)
    actual.pop("manifest.json")
    assert published == actual
    assert "data/projects/MN003/project.yaml" in manifest["inputs"]
    assert manifest["commit"]


def test_datapackage_is_valid(bundled_site):
    from frictionless import Package

    package = Package(str(bundled_site / "downloads/datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_csv_numbers_stay_numbers(bundled_site):
    with (bundled_site / "downloads/issuances.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["quantity"] == "" or r["quantity"].isdigit() for r in rows)


def test_feeds_are_atom(bundled_site):
    for name in ("decisions", "registrations", "issuances"):
        root = ET.parse(bundled_site / f"feeds/{name}.xml").getroot()
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        assert root.findall("{http://www.w3.org/2005/Atom}entry")


def test_the_same_commit_builds_the_same_bytes(example_site, tmp_path):
    again = tmp_path / "again"
    assert build(FIXTURES / "example", again).site is not None
    assert digests(again) == digests(example_site)


def test_the_search_index_is_the_one_pagefind_makes_from_whole_pages(bundled_site, tmp_path):
    """Pagefind starts at each page's searchable part (`search.SEARCHED_PART`) to skip the
    theme's chrome; started at `<html>`, as by default, it must make the same index. It would
    not if a page put its title (first `h1`), metadata or filters outside that part."""
    import shutil

    from generator.publish.search import FOLDER as SEARCH_FOLDER
    from generator.publish.search import index as search_index

    def index_from(root_selector: str) -> dict[str, str]:
        site = tmp_path / root_selector.strip("[]").replace(" ", "_")
        shutil.copytree(bundled_site, site, ignore=shutil.ignore_patterns(SEARCH_FOLDER))
        search_index(site, root_selector)
        return digests(site / SEARCH_FOLDER)

    published = digests(bundled_site / SEARCH_FOLDER)
    assert sum(name.startswith("fragment/") for name in published) > 100
    assert index_from("html") == published
    # the comparison tells indexes apart: one of the tables alone is another index
    assert index_from("[data-pagefind-body] table") != published
