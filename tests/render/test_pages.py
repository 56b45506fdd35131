"""Rendered Markdown of record and index pages, from the fictional example (golden files)."""

from __future__ import annotations

from functools import cache

import pytest

from generator.history import History
from generator.pipeline import validate_root
from generator.render import markdown
from generator.render.site import render_site
from generator.render.views import SiteConfig
from tests.conftest import FIXTURES

CONFIG = SiteConfig(
    repository="https://git.example.org/registry", branch="main", notice="Fictional data."
)


@cache
def rendered():
    return render_site(validate_root(FIXTURES / "example"), History(), CONFIG)


@pytest.mark.parametrize(
    "page",
    [
        "projects/XA001.md",
        "methodologies/XA_AM001.md",
        "projects/index.md",
        "decisions/XA/2021-04-15-3rd-jc.md",
    ],
)
def test_page_golden(golden, page):
    golden("pages/" + page.replace("/", "__"), rendered().pages[page])


def test_every_record_has_a_page_and_an_api_file():
    out = rendered()
    for path in [
        "projects/XA001.md",
        "projects/XA_PIN001.md",
        "methodologies/XA_PM002.md",
        "countries/XA.md",
        "tpes/example-assurance.md",
        "decisions/XA/2019-06-10-1st-jc.md",
    ]:
        assert path in out.pages
    for path in [
        "api/v1/projects/XA001.json",
        "api/v1/methodologies/XA_AM001.json",
        "api/v1/countries/XA.json",
        "api/v1/tpes/example-assurance.json",
        "api/v1/decisions/XA/2019-06-10-1st-jc.json",
        "api/v1/projects.json",
        "downloads/projects.csv",
        "downloads/projects.xlsx",
        "downloads/datapackage.json",
        "feeds/decisions.xml",
        "feeds/issuances.xml",
        "feeds/registrations.xml",
        "api/v1/serials.json",
        "downloads/spreadsheets/JCM_XA_AM001_ver01.0.xlsx",
    ]:
        assert path in out.files


def test_project_api_has_typed_and_derived_values():
    import json

    data = json.loads(rendered().files["api/v1/projects/XA001.json"])
    assert data["typed"]["id"] == "XA001"
    assert data["derived"]["status"] == "registered"
    period = data["derived"]["periods"][0]
    assert period["recomputed"]["RE_p"] == "1036.596531"  # exact, as text
    assert period["recomputed_rounded"]["ER_p"] == "1035"


def test_record_pages_mark_unverified_fields_and_show_conflicts():
    page = rendered().pages["projects/XA001.md"]
    assert "jcm-unverified" in page
    country = rendered().pages["countries/XA.md"]
    assert "Sources disagree" in country


def test_markdown_escaping():
    assert markdown.text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert markdown.text("<script>") == "&lt;script&gt;"
    assert markdown.text("{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"
    assert markdown.text("- item") == "\\- item"
    assert markdown.text("a | b") == "a \\| b"
    assert markdown.text("\u202eevil") == "[U+202E]evil"
    assert markdown.text("line\nbreak") == "line break"
