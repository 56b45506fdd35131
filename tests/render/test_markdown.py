"""Escaping and typesetting record text for the Markdown pages (generator/render/markdown.py)."""

from __future__ import annotations

import html
import re

import markdown as python_markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import markdown


def as_html(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html"])


def test_a_numbered_line_start_is_escaped_after_its_digits():
    """`1\\.` is Markdown's escape; a backslash before a digit would be shown."""
    assert markdown.text("1. Khanh Hoa Province") == "1\\. Khanh Hoa Province"
    assert markdown.text("12) twelve") == "12\\) twelve"
    assert markdown.text("- dash") == "\\- dash"
    assert as_html(markdown.text("1. Khanh Hoa")) == "<p>1. Khanh Hoa</p>"


def test_a_message_shows_its_backticked_names_as_code_and_escapes_the_rest():
    shown = markdown.message("use `notified_on` and <b>bold</b> *here*")
    assert shown == "use <code>notified&#95;on</code> and &lt;b&gt;bold&lt;/b&gt; \\*here\\*"
    assert markdown.message("`<script>`") == "<code>&lt;script&gt;</code>"
    assert markdown.message("an odd ` backtick") == "an odd \\` backtick"
    assert markdown.message(None) == ""


def test_code_keeps_a_pipe_inside_a_table_cell():
    page = f"| a | b |\n|---|---|\n| {markdown.code('x|y')} | z |\n"
    assert "<td><code>x&#124;y</code></td>\n<td>z</td>" in as_html(page)


def test_equations_are_typeset_with_one_subscript_per_symbol():
    assert markdown.equation("sum_i(EG[i] * EF_RE[i])") == (
        "Σ<sub>i</sub>(EG<sub>i</sub> × EF<sub>RE,i</sub>)"
    )
    assert markdown.equation("RE_p - PE_p") == "RE<sub>p</sub> − PE<sub>p</sub>"
    assert markdown.equation("max(0, a < b)") == "max(0, a &lt; b)"
    assert markdown.equation("<script>") == "&lt;script&gt;"


def test_empty_body_cells_show_not_recorded_and_headers_stay():
    page = "| | |\n|---|---|\n| a | |\n| | b \\| c |\n\ntext | here\n"
    assert markdown.fill_empty_cells(page) == (
        "| | |\n|---|---|\n| a | — |\n| — | b \\| c |\n\ntext | here\n"
    )


def test_cells_in_code_blocks_and_indented_tables():
    fenced = "```\n| a |\n|---|\n|  |\n```\n"
    assert markdown.fill_empty_cells(fenced) == fenced
    indented = "    | a | b |\n    |---|---:|\n    |  | 1 |\n"
    assert markdown.fill_empty_cells(indented) == "    | a | b |\n    |---|---:|\n    | — | 1 |\n"


CELL_TEXT = st.text(
    alphabet=st.one_of(st.characters(whitelist_categories=("L", "N", "P", "S")), st.just(" ")),
    max_size=12,
)


@given(st.lists(st.lists(CELL_TEXT, min_size=2, max_size=4), min_size=1, max_size=4))
def test_a_filled_table_keeps_every_cell_and_leaves_none_empty(rows):
    """Whatever record text is in the cells, escaped as pages escape it: same rows, same
    columns, the written cells unchanged, no cell empty."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = "| " + " | ".join(f"h{n}" for n in range(width)) + " |"
    delimiter = "|" + "---|" * width
    body = ["| " + " | ".join(markdown.text(c) for c in r) + " |" for r in rows]
    page = "\n".join([header, delimiter, *body]) + "\n"
    html = as_html(markdown.fill_empty_cells(page))
    cells = html.count("<td")
    assert cells == width * len(rows)
    assert "<td></td>" not in html
    for r in rows:
        for c in r:
            if markdown.text(c).strip():
                shown = as_html(markdown.text(c)).removeprefix("<p>").removesuffix("</p>")
                assert f"<td>{shown.strip()}</td>" in html


@pytest.mark.parametrize("show", [markdown.code, markdown.symbol, markdown.message])
def test_text_inside_inline_html_makes_no_link_image_or_emphasis(show):
    """Python-Markdown applies its inline patterns inside inline HTML too: record text shown
    as code or as a symbol must reach the page with every Markdown character inert."""
    hostile = "[x](javascript:alert(1)) ![i](http://e.test/i.png) __b__ *e* a|b"
    value = f"`{hostile}`" if show is markdown.message else hostile + " `c`"
    page = as_html(f"| a |\n|---|\n| {show(value)} |\n")
    assert "<a " not in page and "<img" not in page and "<em>" not in page
    assert "<strong>" not in page and page.count("<td>") == 1
    shown = re.sub(r"<[^>]+>", "", page)
    assert hostile in html.unescape(shown)


def _fill_as_before(page: str) -> str:
    """`fill_empty_cells`' rule as first written, in two passes: which lines are fenced (a
    fence line toggles), then the body rows of each table outside the fences."""
    lines = page.split("\n")
    fenced, inside = [], False
    for line in lines:
        inside ^= bool(markdown._FENCE.match(line))
        fenced.append(inside)
    out, body = [], False
    for line, skipped in zip(lines, fenced, strict=True):
        if not skipped:
            if not line.strip().startswith("|"):
                body = False
            elif markdown._DELIMITER_ROW.match(line):
                body = True
            elif body and markdown._MAYBE_EMPTY.search(line):
                line = markdown._filled(line)
        out.append(line)
    return "\n".join(out)


_TABLE_LINES = ["| a | b |", "|---|---|", "|:-:|--:|", "|  | 1 |", "| | |", "| x \\| |", "|"]
_TABLE_LINES += ["```", "~~~", "  ```", "\t~~~", "`x` | |", "~x |", "", " ", "text | here", "x"]
_TABLE_LINES += ["    |  | 2 |", "\t| |", "\u00a0| |", "\u2003|---|", "\x0b| |", "\x1c|", "| |\r"]


@settings(max_examples=2000)  # microseconds each
@given(st.lists(st.sampled_from(_TABLE_LINES), max_size=40))
def test_empty_cells_are_filled_as_the_general_rule_fills_them(lines):
    """The row-first shortcut changes nothing: every line, indented, fenced or exotic
    (Unicode spaces, separators), comes out as the general rule makes it."""
    page = "\n".join(lines)
    assert markdown.fill_empty_cells(page) == _fill_as_before(page)


def test_the_shortcut_is_held_to_tables_in_fences_and_after_them():
    page = "| a | b |\n|---|---|\n|  | 1 |\n```\n|  | 2 |\n```\n| | 3 |\n x\n| | 4 |\n"
    assert markdown.fill_empty_cells(page) == _fill_as_before(page)
    assert markdown.fill_empty_cells(page).count("—") == 1  # in the body, before the fence
