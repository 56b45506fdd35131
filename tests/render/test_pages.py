"""Rendered record and index pages, from the fictional example (golden files), and what every
page of three registries must never show."""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from typing import ClassVar

import pytest

from generator.load.history import History
from generator.pipeline import validate_root
from generator.render.site import plan_site, render_site
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
    """A page as the publish stage receives it: title, description, table of contents and
    the article's HTML."""
    p = rendered().pages[page]

    def toc(entries, depth=0):
        return "".join(
            f"{'  ' * depth}- {h.id}: {h.title}\n{toc(h.children, depth + 1)}" for h in entries
        )

    text = f"title: {p.title}\ndescription: {p.description}\nhide: {list(p.hide)}\ntoc:\n{toc(p.toc)}\n{p.body}"
    golden("pages/" + page.removesuffix(".md").replace("/", "__") + ".html", text)


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
    page = rendered().pages["projects/XA001.md"].body
    assert "jcm-unverified" in page
    country = rendered().pages["countries/XA.md"].body
    assert "Sources disagree" in country


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


class _Structure(HTMLParser):
    """Where an HTML body is not well formed: an element closed out of order or left open,
    a table's part outside its table, text loose between a table's rows or cells."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "col", "wbr", "source"})
    INSIDE: ClassVar[dict[str, tuple[str, ...]]] = {
        "tr": ("thead", "tbody", "table"),
        "td": ("tr",),
        "th": ("tr",),
        "thead": ("table",),
        "tbody": ("table",),
        "li": ("ul", "ol"),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.faults: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.INSIDE and (not self.stack or self.stack[-1] not in self.INSIDE[tag]):
            self.faults.append(f"<{tag}> inside <{self.stack[-1] if self.stack else ''}>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.faults.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if (
            data.strip()
            and self.stack
            and self.stack[-1] in ("table", "thead", "tbody", "tr", "ul", "ol")
        ):
            self.faults.append(f"text {data.strip()[:20]!r} loose in <{self.stack[-1]}>")


def structure_faults(body: str) -> list[str]:
    parser = _Structure()
    parser.feed(body)
    parser.close()
    return parser.faults + [f"<{tag}> left open" for tag in parser.stack]


def test_structure_faults_are_caught():
    assert structure_faults("<table><tr><td>a</td></tr></table>") == []
    assert structure_faults("<table><td>a</td></table>") == ["<td> inside <table>"]
    assert structure_faults("<p><b>a</p></b>") == ["</p> closes <b>", "<p> left open"]
    assert structure_faults("<ul>x<li>a</li></ul>") == ["text 'x' loose in <ul>"]
    assert structure_faults("<div>") == ["<div> left open"]


def every_source(tmp_path) -> dict[str, object]:
    """The example, a synthetic registry and the bundled public data, rendered."""
    from generator.load.history import read_history
    from generator.tools.synth import synthesize
    from tests.conftest import ROOT

    root = tmp_path / "registry"
    synthesize(root, 30, seed=3)
    return {
        "example": rendered(),
        "synthetic": render_site(validate_root(root, None), read_history(root), CONFIG),
        "bundled": render_site(validate_root(ROOT, None), History(), CONFIG),
    }


def test_every_page_is_well_formed_and_every_table_a_table(tmp_path):
    """A generated page's HTML closes what it opens, keeps rows and cells in their tables and
    no text loose between them: checked on the example, a synthetic registry and the bundled
    public data. Hand-written pages and the reference pages are Markdown: a row that slips out
    of its table would show as a line of pipes."""
    from tests.conftest import ROOT

    sources = every_source(tmp_path)
    for name, source in sources.items():
        found = {p: f for p, page in source.pages.items() if (f := structure_faults(page.body))}
        assert not found, f"{name}: {found}"
    markdown_pages = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "content").rglob("*.md"))
    } | plan_site(validate_root(FIXTURES / "example"), History(), CONFIG).docs
    found = {p: b for p, text in markdown_pages.items() if (b := broken_tables(text))}
    assert not found, f"broken tables (page: lines): {found}"
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
    """Every generated page reads cleanly: no empty cell, no stray escape or backtick, no
    status twice, no raw reference; the reference pages too, as the site's Markdown
    extensions convert them."""
    import markdown as python_markdown

    extensions = ["attr_list", "md_in_html", "tables", "toc", "admonition"]
    faults = {}
    docs = plan_site(validate_root(FIXTURES / "example"), History(), CONFIG).docs
    for name, source in every_source(tmp_path).items():
        for path, page in source.pages.items():
            if found := visible_defects(page.body):
                faults[f"{name}:{path}"] = found
        for path, text in docs.items():
            body = text.split("\n---\n", 1)[-1] if text.startswith("---") else text
            if found := visible_defects(python_markdown.markdown(body, extensions=extensions)):
                faults[f"{name}:{path}"] = found
    assert not faults, faults
