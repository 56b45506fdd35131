"""Record text on the site's pages: HTML, escaped wherever it lands.

Pages are rendered by jinja2 with autoescaping on, so every value a template prints is escaped
unless it is `Markup` built here from escaped parts. Before escaping, `finalize` shows
bidirectional controls as their code points (they could reorder what a reader sees) and prints
nothing for a missing value. Jinja2 never sees record text as a template.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from markupsafe import Markup, escape

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def visible(text: str) -> str:
    """Text with every bidirectional control shown as `[U+202E]`."""
    return BIDI.sub(_code_point, text) if BIDI.search(text) else text


def _code_point(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group(0)):04X}]"


def finalize(value: object) -> object:
    """What a template prints for a value, before autoescaping: nothing for None, and text
    with its bidirectional controls made visible (`Markup` is already safe and is left as
    it is)."""
    if value is None:
        return ""
    if type(value) is str:
        return visible(value)
    return value


def text(value: object) -> Markup:
    """Record text as escaped HTML, for Python code that builds a fragment."""
    if value is None:
        return Markup("")
    return escape(visible(str(value)))


def code(value: object) -> Markup:
    """Record text shown as inline code."""
    return Markup("<code>%s</code>") % text(value)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(raw: str) -> list[tuple[str, bool]]:
    """A message cut into its text and its `backticked` names: (piece, is a name)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _CODE_SPAN.finditer(raw):
        pieces += [(raw[last : match.start()], False), (match.group(1), True)]
        last = match.end()
    return [*pieces, (raw[last:], False)]


def message(value: object) -> Markup:
    """A finding's message or remedy: text, with its `backticked` names shown as code.

    **Why:** validator messages quote field names and values between backticks, as a reader
    of the command line sees them; on a page they are code, not literal backticks."""
    if value is None:
        return Markup("")
    return Markup("").join(
        code(piece) if name else text(piece) for piece, name in code_spans(str(value))
    )


_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def href(url: object) -> str:
    """An address a record gives, safe as a link's target: http(s), mail, or a relative one;
    any other scheme (`javascript:`, `data:`) becomes `#`. Autoescaping then quotes it.

    **Why** the scheme is read without control characters and whitespace: browsers drop them
    from an address (`java\tscript:` is `javascript:` to them)."""
    value = str(url).strip()
    scheme, colon, _rest = _IGNORED_IN_URLS.sub("", value).partition(":")
    if (
        colon
        and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme)
        and scheme.lower() not in ("http", "https", "mailto")
    ):
        return "#"
    return value.replace(" ", "%20")


_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_\{?([^}]*)\}?$")


def symbol(value: object) -> Markup:
    """`EG_{i,p}` → EG with a subscript i,p."""
    raw = str(value)
    match = _SUBSCRIPT.match(raw)
    if match:
        return Markup("%s<sub>%s</sub>") % (text(match.group(1)), text(match.group(2)))
    return text(raw)


_NAME = re.compile(r"\b([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+))?(\[i\])?")


def equation(expression: object) -> Markup:
    """An expression typeset for reading: Σ, ×, −, subscripts.

    `EF_RE[i]` reads EF with the subscript RE,i; `EG[i]` EG with i; `RE_p` RE with p."""
    typeset = str(text(expression))
    typeset = typeset.replace("sum_i(", "Σ<sub>i</sub>(").replace("*", " × ")
    typeset = typeset.replace(" - ", " − ")
    return Markup(_NAME.sub(_subscripted, typeset).replace("  ", " "))


def _subscripted(match: re.Match[str]) -> str:
    name, sub, index = match.groups()
    subs = [s for s in (sub, "i" if index else None) if s]
    return f"{name}<sub>{','.join(subs)}</sub>" if subs else name


_RIGHT = ' style="text-align: right;"'


def td(content: object, right: bool = False) -> Markup:
    """A table cell; an empty one shows "—" (not recorded): a value a record leaves out is
    absent, and an empty cell reads as a rendering fault."""
    if isinstance(content, Markup):
        shown = content if content.strip() else "—"
    elif content is None:
        shown = "—"
    else:
        raw = str(content)
        shown = escape(visible(raw)) if raw.strip() else "—"
    return Markup(f"<td{_RIGHT if right else ''}>{shown}</td>")


def thead(labels: Iterable[object], right: Container[int] = ()) -> Markup:
    """A table's head row: `labels` are the column titles, `right` the indexes of the
    right-aligned columns."""
    cells = "".join(
        f"<th{_RIGHT if n in right else ''}>{text(label)}</th>\n" for n, label in enumerate(labels)
    )
    return Markup(f"<thead>\n<tr>\n{cells}</tr>\n</thead>")


def field_row(label: object, value: object) -> Markup:
    """A row of a record's field table: the field's name and its value."""
    return Markup(f"<tr>\n<td>{text(label)}</td>\n{td(value)}\n</tr>")


def badge(label: object) -> Markup:
    """A derived status, shown as a badge (styled by its slug)."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(label).lower()).strip("-") or "x"
    return Markup(f'<span class="jcm-status jcm-status--{slug}">{text(label)}</span>')
