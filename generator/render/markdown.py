"""Text for Markdown: the reference pages the site engine builds, and `jcm diff`'s summary.

Text placed in Markdown is shown as text: HTML special characters are escaped, and the Markdown
characters that could turn text into a link, an image, emphasis, a table cell or a heading are
backslash-escaped. Jinja2 never sees the text as a template.
"""

from __future__ import annotations

import functools
import html
import re

import jinja2

from generator.render.html import code_spans, visible

# `~` is not among them: the site's Markdown has no strikethrough, and Python-Markdown does
# not undo `\~`, so an escaped tilde would be shown with its backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|!])")
_LINE_START = re.compile(r"^(\s*)(?:([-+>])|(\d+)([.)]))(?=\s|$)")


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
    raw = _LINE_START.sub(_unlisted, raw)
    return visible(raw)


def _unlisted(match: re.Match[str]) -> str:
    """A line start that would open a list or a quote, escaped: `\\-`, `\\>`, `1\\.`.

    **Why** after the digits: Markdown escapes the punctuation that makes `1.` a list marker;
    a backslash before a digit is no escape and would be shown.
    """
    indent, mark, digits, dot = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{digits}\\{dot}"


def message(value: object) -> str:
    """A finding's message or remedy: text, with its `backticked` names shown as code
    (`generator.render.html.message` for Markdown)."""
    if value is None:
        return ""
    return "".join(code(p) if name else text(p) for p, name in code_spans(str(value)))


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
    return visible(str(value)).translate(_INERT)


def code(value: object) -> str:
    """Record text shown as inline code."""
    return f"<code>{inline_html(value)}</code>"


@functools.cache
def environment() -> jinja2.Environment:
    """The environment of the Markdown templates (`*.md.j2`): every value a template prints
    goes through a filter (`t` text, `msg` a message, `code`)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["t"] = text
    env.filters["msg"] = message
    env.filters["code"] = code
    return env


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
