"""The theme's navigation, rendered once for all the pages that would render it alike.

mkdocs-material renders the site navigation (`partials/nav.html`) into every page: about an
eighth of the site engine's time at registry scale. A record page is not in the navigation,
so nothing in it is active, and what differs from one such page to another is only where its
links point from that page. Pages outside the navigation whose links to every navigation
target (and the logo) are the same get the same HTML: it is rendered for the first of them
and reused for the others. Pages in the navigation are rendered as always, and nothing is
shared when a plugin or an override of the theme's navigation partials could change them.

**Why** it is exact: the navigation templates look at the page only through the `url` filter
(mkdocs' `normalize_url`, with the page and the base URL, which the key holds for every
address the navigation links to) and through comparisons with the navigation's own pages,
all false for a page outside it. `tests/test_page_cache.py` builds a registry with and without
it and compares every file; `tests/test_nav_cache.py` checks that the reuse happens.

Installed by `generator.page_cache` in the site engine's process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import jinja2
import material
from mkdocs.utils import normalize_url

TEMPLATE = "partials/nav.html"
_PARTIALS = (
    TEMPLATE,
    "partials/nav-item.html",
    "partials/logo.html",
    "partials/source.html",
    "partials/toc.html",
    "partials/toc-item.html",
)


def _addresses(nav: Any, config: Any) -> list[str]:
    """Every address the navigation links to, in a fixed order."""
    found: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            url = getattr(item, "url", None)
            if url is not None:
                found.append(str(url))
            walk(getattr(item, "children", None) or [])

    walk(nav.items)
    if nav.homepage is not None:
        found.append(str(nav.homepage.url))
    for extra in (config.extra.get("homepage"), config.theme.get("logo")):
        if extra:
            found.append(str(extra))
    return found


def stock_theme(env: Any, config: Any, templates: tuple[str, ...]) -> bool:
    """True when pages are rendered by mkdocs-material with no plugin but the page cache, and
    each of `templates` is the theme's own file (no override in `site_overrides/`): the
    templates the theme caches here are known to be exact for."""
    if config.theme.name != "material" or set(config.plugins) - {"jcm-page-cache"}:
        return False
    own = os.path.dirname(material.__file__) + os.sep
    try:
        return all(env.loader.get_source(env, name)[1].startswith(own) for name in templates)
    except jinja2.TemplateNotFound:
        return False


def rendered_once(
    kept: dict[tuple, str], key: tuple, render: Any, context: Any
) -> tuple[str, bool]:
    """The HTML kept under `key` (True: it was kept), or rendered now and kept (False)."""
    html = kept.get(key)
    if html is not None:
        return html, True
    html = kept[key] = "".join(render(context))
    return html, False


class NavCache:
    """Wraps the theme's navigation template in a Jinja environment (see the module doc)."""

    def __init__(self, nav: Any, config: Any) -> None:
        self.nav = nav
        self.addresses = _addresses(nav, config)
        self.in_nav = {page.file.src_uri for page in nav.pages}
        self.kept: dict[tuple, str] = {}
        self.hits = 0

    def key(self, context: Any) -> tuple | None:
        page, base = context.get("page"), context.get("base_url", "")
        if page is None or page.file.src_uri in self.in_nav or context.get("nav") is not self.nav:
            return None
        return (base, *(normalize_url(u, page=page, base=base) for u in self.addresses))

    def install(self, env: Any, config: Any) -> bool:
        """Wrap mkdocs-material's navigation template (the one this is known to be exact for);
        False, and nothing changed, with any other theme."""
        # an operator's override of any of the partials: no sharing
        if not stock_theme(env, config, _PARTIALS):
            return False
        template = env.get_template(TEMPLATE)
        render = template.root_render_func

        def cached(context: Any) -> Iterator[str]:
            key = self.key(context)
            if key is None:
                yield from render(context)
                return
            html, again = rendered_once(self.kept, key, render, context)
            self.hits += again
            yield html

        template.root_render_func = cached
        return True
