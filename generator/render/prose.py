"""Narrative fields that allow Markdown: rendered, then sanitised with an allow-list.

Python-Markdown does not sanitise raw HTML and the site engine passes it through, so a
record's Markdown is converted here and cleaned by nh3 (ammonia) before it lands in a page:
only harmless formatting tags survive, links only to http(s) and mail, never scripts, styles,
event handlers or `javascript:` addresses.
"""

from __future__ import annotations

import html

import markdown
import nh3

TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "sub",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h4",
    "h5",
    "h6",
    "hr",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}


def render_prose(text: str | None) -> str:
    """Markdown text of a record → sanitised HTML, wrapped for the page."""
    if not text:
        return ""
    from generator.render.markdown import _BIDI, _visible

    converted = markdown.markdown(
        _BIDI.sub(_visible, text), extensions=["tables"], output_format="html"
    )
    clean = nh3.clean(
        converted,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    # Keep the block in one piece for the page's Markdown: no blank lines inside it, and no
    # `{`…`}` that an extension could read as attributes.
    clean = clean.replace("{", "&#123;").replace("}", "&#125;")
    clean = "\n".join(line for line in clean.splitlines() if line.strip())
    return f'<div class="jcm-prose" markdown="0">\n{clean}\n</div>'


def attribute(value: object) -> str:
    """A value placed inside an HTML attribute."""
    return html.escape(str(value), quote=True)
