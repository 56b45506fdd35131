"""Escaping record text for the Markdown pages the site engine renders.

Record text is untrusted. Anything a record says is shown as text: HTML special characters are
escaped, and the Markdown characters that could turn text into a link, an image, emphasis, a
table cell or a heading are backslash-escaped. Jinja2 never sees record text as a template.
"""

from __future__ import annotations

import functools
import html
import json
import re

# `~` is not among them: the site's converter has no strikethrough, and Python-Markdown does
# not undo `\~`, so an escaped tilde would be shown with its backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|!])")
_LINE_START = re.compile(r"^(\s*)(?:([-+>])|(\d+)([.)]))(?=\s|$)")
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
    if type(value) is str:
        return _text_of_str(value)
    return _escaped(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _text_of_str(value: str) -> str:
    """`text` of a string, remembered. **Why:** a registry repeats its names (countries,
    methodologies, entities, statuses) on thousands of pages; only strings, whose text is
    their value (a Decimal equal to another may be written otherwise)."""
    return _escaped(value)


def _escaped(raw: str) -> str:
    raw = raw.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    raw = html.escape(raw, quote=False)
    raw = _MD_SPECIAL.sub(r"\\\1", raw)
    raw = _LINE_START.sub(_unlisted, raw)
    return _BIDI.sub(_visible, raw)


def _unlisted(match: re.Match[str]) -> str:
    """A line start that would open a list or a quote, escaped: `\\-`, `\\>`, `1\\.`.

    **Why** after the digits: Markdown escapes the punctuation that makes `1.` a list marker;
    a backslash before a digit is no escape and would be shown.
    """
    indent, mark, digits, dot = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{digits}\\{dot}"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def message(value: object) -> str:
    """A finding's message or remedy: text, with its `backticked` names shown as code.

    **Why:** validator messages quote field names and values between backticks, as a reader
    of the command line sees them; on a page they are code, not literal backticks.
    """
    if value is None:
        return ""
    raw = str(value)
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(raw):
        parts.append(text(raw[last : match.start()]))
        parts.append(code(match.group(1)))
        last = match.end()
    parts.append(text(raw[last:]))
    return "".join(parts)


def _visible(match: re.Match[str]) -> str:
    """A bidirectional control shown as its code point, so it cannot reorder what is shown."""
    return f"[U+{ord(match.group(0)):04X}]"


_INERT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        **{ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#|~!"},
    }
)


def inline_html(value: object) -> str:
    """Record text inside an inline HTML element on a Markdown page.

    **Why** every Markdown character as an entity too: Python-Markdown still applies its
    inline patterns (links, images, emphasis, table cells) to the text inside inline HTML,
    so an escaped `[x](javascript:…)` there would become a link; an entity shows the same
    character and is matched by no pattern.
    """
    return _BIDI.sub(_visible, str(value)).translate(_INERT)


def code(value: object) -> str:
    """Record text shown as inline code."""
    return f"<code>{inline_html(value)}</code>"


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
        return f"{inline_html(match.group(1))}<sub>{inline_html(match.group(2))}</sub>"
    return inline_html(text)


_NAME = re.compile(r"\b([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+))?(\[i\])?")


def equation(expression: object) -> str:
    """An expression typeset for reading: Σ, ×, −, subscripts (HTML, escaped).

    `EF_RE[i]` reads EF with the subscript RE,i; `EG[i]` EG with i; `RE_p` RE with p.
    """
    text = html_text(expression)
    text = text.replace("sum_i(", "Σ<sub>i</sub>(").replace("*", " × ").replace(" - ", " − ")
    return _NAME.sub(_subscripted, text).replace("  ", " ")


def _subscripted(match: re.Match[str]) -> str:
    name, sub, index = match.groups()
    subs = [s for s in (sub, "i" if index else None) if s]
    return f"{name}<sub>{','.join(subs)}</sub>" if subs else name


_FENCE = re.compile(r"^\s*(```|~~~)")
_DELIMITER_ROW = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")
_MAYBE_EMPTY = re.compile(r"\|\s*\|")
NOT_RECORDED = "—"


def fill_empty_cells(page: str) -> str:
    """A page's Markdown with every empty table body cell showing "—" (not recorded).

    **Why** one pass over the page rather than a default in every template: a value a record
    leaves out is absent, and an empty cell reads as a rendering fault; header cells stay as
    written (a blank header is deliberate). Cells are split on unescaped pipes only: record
    text reaches a page with its pipes escaped.
    """
    if _MAYBE_EMPTY.search(page) is None:  # no cell anywhere is empty
        return page
    lines = page.split("\n")
    in_fence = False
    in_body = False
    for n, line in enumerate(lines):
        first = line[:1]
        if first != "|" and (not first or (first not in "`~" and not first.isspace())):
            if not in_fence:  # neither a row nor a fence: a table ends here
                in_body = False
            continue
        if first != "|":  # an indented line, or one that may open or close a fence
            if _FENCE.match(line):
                in_fence = not in_fence
            if in_fence:
                continue
            if not line.strip().startswith("|"):
                in_body = False
                continue
        elif in_fence:
            continue
        if _DELIMITER_ROW.match(line):
            in_body = True
        elif in_body and _MAYBE_EMPTY.search(line):
            lines[n] = _filled(line)
    return "\n".join(lines)


def _filled(row: str) -> str:
    indent = row[: len(row) - len(row.lstrip())]
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in row.strip():
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
    cells.append("".join(current))
    inner = cells[1:-1] if cells[-1].strip() == "" else cells[1:]
    if not any(c.strip() == "" for c in inner):
        return row
    filled = [c if c.strip() else f" {NOT_RECORDED} " for c in inner]
    return indent + "|" + "|".join(filled) + "|"
