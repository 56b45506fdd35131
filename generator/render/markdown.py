"""Escaping record text for the Markdown pages the site engine renders.

Record text is untrusted. Anything a record says is shown as text: HTML special characters are
escaped, and the Markdown characters that could turn text into a link, an image, emphasis, a
table cell or a heading are backslash-escaped. Jinja2 never sees record text as a template.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def text(value: object) -> str:
    """Inline record text, safe in a Markdown paragraph or table cell."""
    if value is None:
        return ""
    raw = str(value)
    raw = _BIDI.sub(lambda m: f"&#x{ord(m.group(0)):04x};", raw)
    raw = html.escape(raw, quote=True)
    raw = raw.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(r"\\\1", raw)


def code(value: object) -> str:
    """Record text shown as inline code."""
    raw = html.escape(str(value), quote=True)
    return f"<code>{raw}</code>"
