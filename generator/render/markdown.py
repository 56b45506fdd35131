"""Escaping record text for the Markdown pages the site engine renders.

Record text is untrusted. Anything a record says is shown as text: HTML special characters are
escaped, and the Markdown characters that could turn text into a link, an image, emphasis, a
table cell or a heading are backslash-escaped. Jinja2 never sees record text as a template.
"""

from __future__ import annotations

import html
import json
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|~!])")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])(?=\s|$)")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def text(value: object) -> str:
    """Inline record text, safe in a Markdown paragraph or table cell.

    HTML special characters become entities; the Markdown characters that could make a link,
    an image, emphasis, code, a table cell, a heading or attributes are backslash-escaped; a
    value that would start a list or a quote is escaped at its start; line breaks become
    spaces; bidirectional-override characters are shown as their code points.
    """
    if value is None:
        return ""
    raw = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    raw = html.escape(raw, quote=False)
    raw = _MD_SPECIAL.sub(r"\\\1", raw)
    raw = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), raw)
    return _BIDI.sub(_visible, raw)


def _visible(match: re.Match[str]) -> str:
    """A bidirectional control shown as its code point, so it cannot reorder what is shown."""
    return f"[U+{ord(match.group(0)):04X}]"


def code(value: object) -> str:
    """Record text shown as inline code."""
    raw = html.escape(_BIDI.sub(_visible, str(value)), quote=True)
    return f"<code>{raw}</code>"


def html_text(value: object) -> str:
    """Record text inside raw HTML (attributes or elements)."""
    if value is None:
        return ""
    return html.escape(_BIDI.sub(_visible, str(value)), quote=True)


def href(url: object) -> str:
    """A validated http(s) address, safe as the target of a Markdown link."""
    text = str(url)
    if not text.startswith(("http://", "https://")) and "://" in text:
        return "#"
    return (
        text.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace("\\", "%5C")
    )


def yaml_string(value: object) -> str:
    """A value for the page's front matter (title, description), as a YAML scalar.

    **Why** escaped as HTML too: the theme prints page titles and descriptions as trusted HTML
    (in `<title>`, the header and a `<meta>` attribute), so record text in them must already be
    entities. A JSON string is a valid YAML scalar.
    """
    flat = str(value).replace("\r", " ").replace("\n", " ")
    return json.dumps(html_text(flat), ensure_ascii=False)


_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_\{?([^}]*)\}?$")


def symbol(value: object) -> str:
    """`EG_{i,p}` → EG with a subscript i,p (as HTML)."""
    text = str(value)
    match = _SUBSCRIPT.match(text)
    if match:
        return f"{html_text(match.group(1))}<sub>{html_text(match.group(2))}</sub>"
    return html_text(text)


_NAME = re.compile(r"\b([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]+)\b")


def equation(expression: object) -> str:
    """An expression typeset for reading: Σ, ×, −, subscripts (HTML, escaped)."""
    text = html_text(expression)
    text = text.replace("sum_i(", "Σ<sub>i</sub>(").replace("*", " × ").replace(" - ", " − ")
    text = text.replace("[i]", "<sub>i</sub>")
    return _NAME.sub(lambda m: f"{m.group(1)}<sub>{m.group(2)}</sub>", text).replace("  ", " ")
