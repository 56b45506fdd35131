"""Narrative fields that allow Markdown: rendered, then sanitised with an allow-list.

Python-Markdown does not sanitise raw HTML and the site engine passes it through, so a
record's Markdown is converted here and cleaned by nh3 (ammonia) before it lands in a page:
only harmless formatting tags survive, links only to http(s) and mail, never scripts, styles,
event handlers or `javascript:` addresses.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

from generator.render.html import visible

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


def render_prose(text: str | None) -> Markup:
    """Markdown text of a record → sanitised HTML, wrapped for the page."""
    if not text:
        return Markup("")
    converted = markdown.markdown(visible(text), extensions=["tables"], output_format="html")
    clean = nh3.clean(
        converted,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(f'<div class="jcm-prose">\n{clean}\n</div>')
