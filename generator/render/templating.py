"""The jinja2 environment of the render stage.

Templates live in `templates/` and are named after what they render. Every value a template
prints goes through an explicit filter (`t` for record text, `code`); autoescaping is on as a
second guard for HTML fragments.
"""

from __future__ import annotations

from functools import cache

import jinja2

from generator.render import markdown


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["t"] = markdown.text
    env.filters["code"] = markdown.code
    return env


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
