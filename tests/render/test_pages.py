"""Rendered Markdown of record and index pages, from the fictional example (golden files)."""

from __future__ import annotations

import html
import re
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


def every_source(tmp_path) -> dict[str, object]:
    """The example, a synthetic registry and the bundled public data, rendered."""
    from generator.history import read_history
    from generator.synth import synthesize
    from tests.conftest import ROOT

    root = tmp_path / "registry"
    synthesize(root, 30, seed=3)
    return {
        "example": rendered(),
        "synthetic": render_site(validate_root(root, None), read_history(root), CONFIG),
        "bundled": render_site(validate_root(ROOT, None), History(), CONFIG),
    }


def test_every_table_on_every_page_is_a_table(tmp_path):
    """A row that slips out of its table shows as a line of pipes on the public page: checked
    on the example, a synthetic registry and the bundled public data."""
    from tests.conftest import ROOT

    sources = every_source(tmp_path)
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
        # as a reader sees it: backticked names are code elements, escapes are not shown
        visible = html.unescape(re.sub(r"<[^>]+>", "", page).replace("\\", ""))
        shown = entry.message.replace("{{", "{").replace("}}", "}").replace("`", "")
        assert shown in visible


_PRE = re.compile(r"<pre.*?</pre>", re.S)
_CODE = re.compile(r"<code>(.*?)</code>", re.S)
VISIBLE_DEFECTS = {
    "an empty table cell (not recorded shows as —)": re.compile(r"<td[^>]*>\s*</td>"),
    "a table column without a heading": re.compile(r"<th[^>]*>\s*</th>"),
    "a backslash shown inside code": re.compile(r"<code>[^<]*\\[^<]*</code>"),
    "a backslash shown before a digit": re.compile(r"\\\d"),
    "a status said twice": re.compile(r"\b(registered|approved), \1\b"),
    "an open range printed as a dash": re.compile(r"\bto —"),
    "two subscripts in a row": re.compile(r"</sub><sub>"),
    "a version reference printed raw": re.compile(r"Not recomputed: [A-Z]{2}_[AP]M\d{3}@"),
}


def visible_defects(page_html: str) -> list[str]:
    """What a reader would see as a rendering fault on a page converted to HTML."""
    text = _PRE.sub("", page_html)
    found = [name for name, pattern in VISIBLE_DEFECTS.items() if pattern.search(text)]
    if "`" in _CODE.sub("", text):
        found.append("a literal backtick (code meant, shown as punctuation)")
    return found


def test_visible_defects_are_caught():
    assert visible_defects("<table><td> </td></table>") == [next(iter(VISIBLE_DEFECTS))]
    assert visible_defects("<p>use `field`</p>") == [
        "a literal backtick (code meant, shown as punctuation)"
    ]
    assert visible_defects("<p><code>a\\_b</code></p>") == ["a backslash shown inside code"]
    assert visible_defects("<p>registered, registered 2020</p>") == ["a status said twice"]
    assert visible_defects("<pre><code>`x` \\1</code></pre><p>ok</p>") == []


def test_no_page_shows_a_rendering_fault(tmp_path):
    """Every generated page, converted with the site's Markdown extensions, reads cleanly:
    no empty cell, no stray escape or backtick, no status twice, no raw reference."""
    import markdown as python_markdown

    extensions = ["attr_list", "md_in_html", "tables", "toc", "admonition"]
    faults = {}
    for name, source in every_source(tmp_path).items():
        for path, text in source.pages.items():
            body = text.split("\n---\n", 1)[-1] if text.startswith("---") else text
            page_html = python_markdown.markdown(body, extensions=extensions)
            if found := visible_defects(page_html):
                faults[f"{name}:{path}"] = found
    assert not faults, faults
