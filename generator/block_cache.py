"""The theme's blocks that read only the site's settings and the page's place, rendered once per
place.

mkdocs-material writes the same stylesheets, scripts, notice and settings into every page (the
blocks `styles`, `libs`, `fonts`, `analytics`, `announce`, `config`, `scripts`): about a tenth
of the engine's time on record pages. They read the site's configuration, the theme's
translations and addresses made relative to the page, and nothing else of the page; so each is
rendered for the first page at a place and reused for every page whose relative addresses are
the same (the key: the page's base URL and where a relative address leads from it).

**Why** it is exact: a block is shared only if its syntax tree (and that of every template it
includes or imports, and of the block its `super()` calls) names nothing but the site's
settings (`config`, `features`, `lang`, `base_url`, `extra_css`, `extra_javascript`) and what
it sets itself, uses only filters that read at most the page's place (`url`, `script_tag`) or
nothing of it, and calls only `super()`, `namespace()` and macros. An operator's block in
`site_overrides/main.html` that reads the page is rendered for every page, as before.
`tests/test_block_cache.py` builds sites with and without it and compares every file.

Installed by `generator.page_cache` in the site engine's process, beside `generator.nav_cache`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import jinja2
import material
from jinja2 import nodes
from mkdocs.utils import normalize_url

BLOCKS = ("styles", "libs", "fonts", "analytics", "announce", "config", "scripts")
TEMPLATES = ("main.html", "base.html")
_SETTINGS = frozenset(
    {"config", "features", "lang", "base_url", "extra_css", "extra_javascript"}
    | {"namespace", "super", "none", "true", "false", "loop"}
)
_FILTERS = frozenset(
    {"url", "script_tag", "tojson", "d", "default", "replace", "urlencode", "items", "e"}
    | {"escape", "safe", "length", "join", "lower", "upper", "trim", "string", "first"}
)
_PROBE = "jcm-place/"


def _block(tree: nodes.Template, name: str) -> nodes.Block | None:
    return next((b for b in tree.find_all(nodes.Block) if b.name == name), None)


class _Reader:
    """Decides from the templates' syntax trees whether a block reads only settings."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.own = os.path.dirname(material.__file__) + os.sep
        self.trees: dict[str, nodes.Template | None] = {}

    def tree(self, name: str) -> nodes.Template | None:
        if name not in self.trees:
            try:
                source = self.env.loader.get_source(self.env, name)[0]
                self.trees[name] = self.env.parse(source)
            except jinja2.TemplateError:
                self.trees[name] = None
        return self.trees[name]

    def is_theme_own(self, name: str) -> bool:
        try:
            return self.env.loader.get_source(self.env, name)[1].startswith(self.own)
        except jinja2.TemplateNotFound:
            return False

    def reads_only_settings(self, node: nodes.Node, seen: set[str]) -> bool:
        own_names = {n.name for n in node.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for imported in node.find_all((nodes.Import, nodes.FromImport)):
            if isinstance(imported, nodes.Import):
                own_names.add(imported.target)
            else:
                own_names.update(n if isinstance(n, str) else n[-1] for n in imported.names)
        for macro in node.find_all(nodes.Macro):
            own_names.add(macro.name)
        for name in node.find_all(nodes.Name):
            if name.ctx == "load" and name.name not in _SETTINGS | own_names:
                return False
        if any(f.name not in _FILTERS for f in node.find_all(nodes.Filter)):
            return False
        for call in node.find_all(nodes.Call):
            target = call.node
            while isinstance(target, nodes.Getattr):
                target = target.node
            if not isinstance(target, nodes.Name):
                return False
        for loaded in node.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
            template = loaded.template
            if isinstance(template, nodes.Const) and isinstance(template.value, str):
                if template.value in seen:
                    continue
                seen.add(template.value)
                tree = self.tree(template.value)
                if tree is None or not self.reads_only_settings(tree, seen):
                    return False
            elif not _is_icon(template):
                return False
        return True


def _calls_super(block: nodes.Block) -> bool:
    """True when the block renders its parent's: Jinja finds the parent from the block's own
    function, so such a block is left as it is (the parent's, wrapped, is shared)."""
    return any(
        isinstance(call.node, nodes.Name) and call.node.name == "super"
        for call in block.find_all(nodes.Call)
    )


def _is_icon(template: nodes.Expr) -> bool:
    """A computed name of one of the theme's icons: `".icons/" ~ name ~ ".svg"` (plain SVG)."""
    first = template
    while isinstance(first, nodes.Concat):
        first = first.nodes[0]
    return isinstance(first, nodes.Const) and str(first.value).startswith(".icons/")


class BlockCache:
    """Wraps the shareable blocks of the site's page templates (see the module doc)."""

    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}
        self.hits = 0
        self.shared: list[tuple[str, str]] = []

    @staticmethod
    def key(context: Any) -> tuple:
        page, base = context.get("page"), context.get("base_url", "")
        return (base, normalize_url(_PROBE, page=page, base=base))

    def install(self, env: jinja2.Environment, config: Any) -> bool:
        """Wrap every shareable block of `main.html` and `base.html`; False, and nothing
        changed, with any other theme, a plugin that could change them, or an override of
        the theme's base template or its language partials."""
        if config.theme.name != "material" or set(config.plugins) - {"jcm-page-cache"}:
            return False
        reader = _Reader(env)
        own = ("base.html", "partials/language.html", "partials/icons.html")
        if not all(reader.is_theme_own(name) for name in own):
            return False
        trees = {name: reader.tree(name) for name in TEMPLATES}
        if any(tree is None for tree in trees.values()):
            return False
        for block in BLOCKS:
            parent = _block(trees["base.html"], block)
            if parent is None or not reader.reads_only_settings(parent, set()):
                continue
            self._wrap(env, "base.html", block)
            child = _block(trees["main.html"], block)
            if (
                child is not None
                and not _calls_super(child)
                and reader.reads_only_settings(child, set())
            ):
                self._wrap(env, "main.html", block)
        return True

    def _wrap(self, env: jinja2.Environment, name: str, block: str) -> None:
        template = env.get_template(name)
        render = template.blocks.get(block)
        if render is None:
            return
        kept = self.kept

        def shared(context: Any) -> Iterator[str]:
            key = (name, block, *self.key(context))
            html = kept.get(key)
            if html is None:
                html = kept[key] = "".join(render(context))
            else:
                self.hits += 1
            yield html

        template.blocks[block] = shared
        self.shared.append((name, block))
