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


def broken_tables(text: str) -> list[int]:
    """Lines of Markdown table rows that Python-Markdown would not render in a table: a row
    after a blank line without a header separator below it becomes a paragraph of pipes."""
    lines = text.splitlines()
    broken = []
    for n, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        before = lines[n - 1] if n else ""
        after = lines[n + 1] if n + 1 < len(lines) else ""
        if not before.strip() and not (set(after) <= set("|-: ") and "-" in after):
            broken.append(n + 1)
    return broken


def test_every_table_on_every_page_is_a_table(tmp_path):
    """A row that slips out of its table shows as a line of pipes on the public page: checked
    on the example, a synthetic registry and the bundled public data."""
    from generator.history import read_history
    from generator.synth import synthesize
    from tests.conftest import ROOT

    root = tmp_path / "registry"
    synthesize(root, 30, seed=3)
    sources = {
        "example": rendered(),
        "synthetic": render_site(validate_root(root, None), read_history(root), CONFIG),
        "bundled": render_site(validate_root(ROOT, None), History(), CONFIG),
    }
    hand_written = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "content").rglob("*.md"))
    }
    pages = {name: source.pages for name, source in sources.items()}
    for name, texts in {**pages, "content": hand_written}.items():
        found = {p: b for p, text in texts.items() if (b := broken_tables(text))}
        assert not found, f"{name}: broken tables (page: lines): {found}"
    assert broken_tables("text\n\n| a | b |\n\n| c | d |\n") == [3, 5]


def test_the_codes_page_shows_patterns_as_findings_read_them():
    """`{value}` is a slot the finding fills; `{{CC}}` in a pattern is a literal `{CC}`."""
    from generator.findings import catalogue
    from generator.render.codes import render_codes_page

    page = render_codes_page()
    assert "{{" not in page and "}}" not in page
    doubled = [e for e in catalogue().values() if "{{" in e.message]
    assert doubled, "the catalogue has a pattern with a literal brace"
    for entry in doubled:
        assert entry.message.replace("{{", "{").replace("}}", "}") in page.replace("\\", "")
