"""Hostile record text lands escaped everywhere: pages, search, feeds, JSON, CSV, XLSX; what
must be refused is refused. (The browser side is in tests/browser.)"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook

from generator.load.records import load_record
from generator.pipeline import build
from tests.hostile.corpus import build_registry, cases, escaped_cases


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = build_registry(tmp_path_factory.mktemp("hostile") / "registry")
    out = root.parent / "site"
    result = build(root, out)
    assert result.site is not None, [
        f.as_text() for f in result.validation.findings if f.severity == "error"
    ]
    return out


class Elements(HTMLParser):
    """Every element and attribute of a page, to look for anything the corpus injected."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "HOSTILE" in value:
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and ("javascript:" in value.lower() or "HOSTILE" in value):
                self.found.append(f"<{tag} {name}={value[:60]}>")
            if name == "id" and value == "injected":
                self.found.append(f"<{tag} id=injected>")
        if tag in ("iframe", "img") and any("HOSTILE" in (v or "") for _n, v in attrs):
            self.found.append(f"<{tag}>")

    def handle_data(self, data):
        if self.in_script and "HOSTILE" in data:
            self.found.append("<script>HOSTILE")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False


def test_pages_contain_the_text_and_no_injected_element(hostile_site):
    seen_text = False
    for page in hostile_site.rglob("*.html"):
        html = page.read_text("utf-8")
        parser = Elements()
        parser.feed(html)
        assert parser.found == [], (page, parser.found)
        seen_text = seen_text or "HOSTILE-1" in html
        assert "49" not in html.split("HOSTILE-7", 1)[1][:40] if "HOSTILE-7" in html else True
    assert seen_text


def test_jinja_syntax_stays_text(hostile_site):
    html = (hostile_site / "projects/XA106/index.html").read_text("utf-8")
    assert "{{ 7*7 }}" in html and "{% if true %}" in html


def test_bidi_overrides_are_shown_as_code_points(hostile_site):
    html = (hostile_site / "projects/XA107/index.html").read_text("utf-8")
    assert "\u202e" not in html and "[U+202E]" in html


def test_narrative_markdown_is_sanitised(hostile_site):
    html = (hostile_site / "projects/XA001/index.html").read_text("utf-8")
    assert "<em>emphasis</em>" in html
    prose = html.split("jcm-prose", 1)[1].split("</div>", 1)[0]
    assert "<img" not in prose and "<script" not in prose and "javascript:" not in prose


def test_json_keeps_the_exact_text(hostile_site):
    data = json.loads((hostile_site / "api/v1/projects/XA100.json").read_text())
    assert data["typed"]["title"] == escaped_cases()[0]["text"]


def test_csv_and_xlsx_neutralise_formulas(hostile_site):
    rows = list(csv.DictReader(io.StringIO((hostile_site / "downloads/projects.csv").read_text())))
    titles = {r["id"]: r["title"] for r in rows}
    for i, case in enumerate(escaped_cases()):
        text = case["text"]
        if text.startswith(("=", "+", "-", "@")):
            assert titles[f"XA1{i:02d}"] == "'" + text
    wb = load_workbook(hostile_site / "downloads/projects.xlsx")
    for row in wb.active.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and not cell.value.startswith(("=", "+", "@"))
            if cell.column == wb.active.max_column - 1 and cell.value is not None:
                assert isinstance(cell.value, int)  # credits issued stay numbers


def test_feeds_escape_the_text(hostile_site):
    for feed in (hostile_site / "feeds").glob("*.xml"):
        root = ET.parse(feed).getroot()  # parses: nothing broke the XML
        assert not root.findall(".//script")


@pytest.mark.parametrize(
    "case", [c for c in cases() if c["outcome"] == "refused"], ids=lambda c: c["id"]
)
def test_refused_strings(case):
    text = case["text"] * case.get("repeat", 1)
    field = "url" if case.get("field") == "url" else "title"
    url = json.dumps(text) if field == "url" else '"https://example.org/s"'
    title = json.dumps(text) if field == "title" else "A title"
    raw = (
        f"id: XA200\ncountry: XA\ntitle: {title}\n"
        f"sources:\n  - {{id: S, title: Source, url: {url}}}\n"
    ).encode()
    _record, findings = load_record("project", "XA200", "data/projects/XA200/project.yaml", raw)
    assert case["code"] in {f.code for f in findings}
