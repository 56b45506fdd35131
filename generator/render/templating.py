"""The jinja2 environment of the render stage.

Templates live in `templates/` and are named after what they render (`project.html.j2`). They
write HTML with autoescaping on: a value is escaped wherever it is printed unless it is
`Markup` made from escaped parts (`generator.render.html`), and `finalize` shows bidirectional
controls and prints nothing for a missing value.
"""

from __future__ import annotations

from functools import cache

import jinja2

from generator.render import html, links
from generator.render.prose import render_prose
from generator.render.views import PUBLISHED_STATUSES, Views, field_words
from generator.schema.base import display_version, shown_version


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        finalize=html.finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates do not change during a run (and 30,000 stats less)
    )
    # A table cell is the one helper every row calls: a filter (`{{ value | td }}`), which jinja
    # calls directly, where a global function goes through the context's call protocol.
    env.filters["td"] = html.td
    env.globals.update(thead=html.thead, field_row=html.field_row, badge=html.badge)
    env.filters["code"] = html.code
    env.filters["msg"] = html.message
    env.filters["href"] = html.href
    env.filters["slug"] = links.anchor
    env.filters["anchor"] = links.anchor
    env.filters["ver"] = display_version
    env.filters["ref"] = shown_version
    env.filters["num"] = Views.number
    env.filters["field"] = field_words
    env.filters["prose"] = render_prose
    env.filters["symbol"] = html.symbol
    env.filters["equation"] = html.equation
    env.filters["option"] = lambda o: f"Option {o}"
    env.filters["published"] = lambda s: PUBLISHED_STATUSES.get(s, s)
    return env
