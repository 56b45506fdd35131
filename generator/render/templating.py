"""The jinja2 environment of the render stage.

Templates live in `templates/` and are named after what they render. Every value a template
prints goes through an explicit filter (`t` for record text, `code`); autoescaping is on as a
second guard for HTML fragments.
"""

from __future__ import annotations

from functools import cache

import jinja2

from generator.render import links, markdown
from generator.render.prose import render_prose
from generator.render.views import PUBLISHED_STATUSES, Views, field_words
from generator.schema.base import display_version, shown_version


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates do not change during a run (and 30,000 stats less)
    )
    env.filters["t"] = markdown.text
    env.filters["code"] = markdown.code
    env.filters["msg"] = markdown.message
    env.filters["html"] = markdown.html_text
    env.filters["href"] = markdown.href
    env.filters["yamlstr"] = markdown.yaml_string
    env.filters["slug"] = links.anchor
    env.filters["anchor"] = links.anchor
    env.filters["ver"] = display_version
    env.filters["ref"] = shown_version
    env.filters["num"] = Views.number
    env.filters["field"] = field_words
    env.filters["prose"] = render_prose
    env.filters["symbol"] = markdown.symbol
    env.filters["equation"] = markdown.equation
    env.filters["option"] = lambda o: f"Option {o}"
    env.filters["published"] = lambda s: PUBLISHED_STATUSES.get(s, s)
    return env


def render_template(name: str, **context: object) -> str:
    return markdown.fill_empty_cells(environment().get_template(name).render(**context))
