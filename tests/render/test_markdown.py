"""Escaping text for Markdown (generator/render/markdown.py): the reference pages the site
engine builds, and `jcm diff`'s summary."""

from __future__ import annotations

import html
import re

import markdown as python_markdown
import pytest

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


@pytest.mark.parametrize("show", [markdown.code, markdown.message])
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


def test_bidirectional_controls_and_line_breaks_are_shown_as_text():
    assert markdown.text("\u202eevil") == "[U+202E]evil"
    assert markdown.text("line\nbreak") == "line break"
    assert markdown.text("<script>") == "&lt;script&gt;"
    assert markdown.text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert markdown.text("{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"
    assert markdown.text("- item") == "\\- item"
    assert markdown.text("a | b") == "a \\| b"
