"""The theme's blocks that read only the site's settings and the page's place, rendered once per
place.

mkdocs-material writes the same stylesheets, scripts, notice and settings into every page (the
blocks `styles`, `libs`, `fonts`, `analytics`, `announce`, `config`, `scripts`): about a tenth
of the engine's time on record pages. They read the site's configuration, the theme's
translations and addresses made relative to the page, and nothing else of the page; so each is
rendered for the first page at a place and reused for every page whose relative addresses are
the same (the key: the page's base URL and where each address the block makes relative
leads from the page).

**Why** it is exact: a block is shared only if its syntax tree (and that of every template it
includes or imports, and of the block its `super()` calls) names nothing but the site's
settings (`config`, `features`, `lang`, `base_url`, `extra_css`, `extra_javascript`) and what
it sets itself; uses only filters that read at most the page's place (`url` and `script_tag`,
on constant addresses or the site's lists of scripts and stylesheets) or nothing of it; reads
no private attribute (mkdocs keeps the page being built in `config._current_page`); rebinds no
context variable; holds no block of its own; and calls only `super()`, `namespace()` and
macros. An operator's block in `site_overrides/main.html` that reads the page is rendered for
every page, as before. `tests/test_block_cache.py` builds sites with and without it and
compares every file.

The same holds for the partials every page includes that read only the configuration and the
translations (`PARTIALS`: the search box, the repository link, the palette's script, the
back-to-top button, the copyright): an included partial sees what the template including it
set, so it may read only `config`, `lang` and `features`, and is shared only when those hold
the site's own values (`BlockCache._settled`). The table of contents (`partials/toc.html`,
with the theme's own `toc-item.html`) reads the page's table of contents, the configuration
and the translations: it is rendered once for every table of contents the pages show (its
titles, levels and anchors; the record pages of a kind mostly show the same one). The
theme's translation macro, `t(key)` of `partials/languages/*.html`, builds the language's whole
table on each of the score of calls a page makes: its answers are remembered by key when its
syntax tree reads nothing but the key and constants.

Installed by `generator.page_cache` in the site engine's process, beside `generator.nav_cache`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from mkdocs.utils import normalize_url

from generator.nav_cache import rendered_once, stock_theme

BLOCKS = ("styles", "libs", "fonts", "analytics", "announce", "config", "scripts")
# Partials every page includes that may read only the configuration and the translations
PARTIALS = (
    "partials/search.html",
    "partials/source.html",
    "partials/palette.html",
    "partials/javascripts/palette.html",
    "partials/top.html",
    "partials/copyright.html",
    # the registry's own header parts (site_overrides/partials)
    "partials/header-palette.html",
    "partials/header-search.html",
)
TOC = ("partials/toc.html", "partials/toc-item.html")
_FALLBACK = "partials/languages/en.html"  # the theme's translations of last resort
TEMPLATES = ("main.html", "base.html")
_THEME_OWN = ("base.html", "partials/language.html", "partials/icons.html")
_SETTINGS = frozenset(
    {"config", "features", "lang", "base_url", "extra_css", "extra_javascript"}
    | {"namespace", "super", "none", "true", "false", "loop"}
)
# What an included partial sees comes from the template that includes it: only names whose
# value the shared copy checks (`BlockCache._settled`) may be read.
_PARTIAL_NAMES = frozenset({"config", "lang", "features"} | {"namespace", "none", "true", "false"})
_FILTERS = frozenset(
    {"url", "script_tag", "tojson", "d", "default", "replace", "urlencode", "items", "e"}
    | {"escape", "safe", "length", "join", "lower", "upper", "trim", "string", "first"}
)


def _block(tree: nodes.Template, name: str) -> nodes.Block | None:
    return next((b for b in tree.find_all(nodes.Block) if b.name == name), None)


# Context variables a block may not rebind (a branch that sets one would let it read the page)
_CONTEXT = frozenset(
    {"page", "nav", "pages", "toc", "meta", "config", "base_url", "extra_css"}
    | {"extra_javascript", "mkdocs_version", "build_date_utc", "features", "lang", "super"}
)
_LISTS = {
    "config.extra_javascript": ("extra_javascript",),
    "config.extra_css": ("extra_css",),
    "config.extra.polyfills": ("extra", "polyfills"),
}


def _dotted(node: nodes.Node) -> str:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if not isinstance(node, nodes.Name):
        return ""
    return ".".join([node.name, *reversed(parts)])


def _own_loops(node: nodes.Node) -> set[int]:
    """The `loop` names read in the body of a `for` of the template itself: its own loop's
    variable, not one the including template could pass (a macro or call block in the body
    may be called from elsewhere, so a `loop` inside one is not counted)."""
    own: set[int] = set()

    def walk(node: nodes.Node, in_body: bool) -> None:
        if isinstance(node, nodes.Name) and node.name == "loop" and in_body:
            own.add(id(node))
        if isinstance(node, nodes.For):
            for child in (node.target, node.iter, node.test, *node.else_):
                if child is not None:
                    walk(child, in_body)
            for child in node.body:
                walk(child, True)
            return
        inner = in_body and not isinstance(node, (nodes.Macro, nodes.CallBlock))
        for child in node.iter_child_nodes():
            walk(child, inner)

    walk(node, False)
    return own


def _listed(config: Any, path: tuple[str, ...]) -> list[str]:
    value: Any = config
    for part in path:
        value = value.get(part) if hasattr(value, "get") else getattr(value, part, None)
        if value is None:
            return []
    return [str(item) for item in value]


class _Reader:
    """Decides from the templates' syntax trees whether a block reads only settings, and
    gathers the addresses it makes relative to the page (its `url` and `script_tag` filters)."""

    def __init__(self, env: jinja2.Environment, config: Any) -> None:
        self.env = env
        self.config = config
        custom = config.theme.custom_dir
        self.own_icons = not (custom and os.path.isdir(os.path.join(custom, ".icons")))
        self.trees: dict[str, nodes.Template | None] = {}

    def tree(self, name: str) -> nodes.Template | None:
        if name not in self.trees:
            try:
                source = self.env.loader.get_source(self.env, name)[0]
                self.trees[name] = self.env.parse(source)
            except jinja2.TemplateError:
                self.trees[name] = None
        return self.trees[name]

    def reads_only_settings(
        self,
        node: nodes.Node,
        seen: set[str],
        addresses: list[str],
        allowed: frozenset[str] = _SETTINGS,
    ) -> bool:
        stored = {n.name for n in node.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for imported in node.find_all((nodes.Import, nodes.FromImport)):
            if isinstance(imported, nodes.Import):
                stored.add(imported.target)
            else:
                stored.update(n if isinstance(n, str) else n[-1] for n in imported.names)
        for macro in node.find_all(nodes.Macro):
            stored.add(macro.name)
        if stored & _CONTEXT or any(node.find_all(nodes.Block)):
            return False
        own = _own_loops(node)
        for name in node.find_all(nodes.Name):
            if name.ctx == "load" and name.name not in allowed | stored and id(name) not in own:
                return False
        for item in node.find_all((nodes.Getattr, nodes.Getitem)):
            key = item.attr if isinstance(item, nodes.Getattr) else item.arg
            if isinstance(key, nodes.Const):
                key = key.value
            if not isinstance(key, (str, int)) or str(key).startswith("_"):
                return False  # mkdocs keeps the page being built in `config._current_page`
        if any(f.name not in _FILTERS for f in node.find_all(nodes.Filter)):
            return False
        sources = {
            loop.target.name: _dotted(loop.iter)
            for loop in node.find_all(nodes.For)
            if isinstance(loop.target, nodes.Name)
        }
        for used in node.find_all(nodes.Filter):
            if used.name not in ("url", "script_tag"):
                continue
            if isinstance(used.node, nodes.Const):
                addresses.append(str(used.node.value))
            elif isinstance(used.node, nodes.Name) and sources.get(used.node.name) in _LISTS:
                addresses.extend(_listed(self.config, _LISTS[sources[used.node.name]]))
            else:
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
                if tree is None or not self.reads_only_settings(tree, seen, addresses, allowed):
                    return False
            elif not (self.own_icons and _is_icon(template)):
                return False
        return True


def _calls_super(block: nodes.Block) -> bool:
    """True when the block renders its parent's: Jinja finds the parent from the block's own
    function, so such a block is left as it is (the parent's, wrapped, is shared)."""
    return any(name.name == "super" for name in block.find_all(nodes.Name))


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
        self._config: Any = None  # the site's own settings, for `_settled` (set by install)
        self._features: list[str] = []

    def install(self, env: jinja2.Environment, config: Any) -> bool:
        """Wrap every shareable block of `main.html` and `base.html`; False, and nothing
        changed, with any other theme, a plugin that could change them, or an override of
        the theme's base template or its language partials."""
        if not stock_theme(env, config, _THEME_OWN):
            return False
        reader = _Reader(env, config)
        trees = {name: reader.tree(name) for name in TEMPLATES}
        if any(tree is None for tree in trees.values()):
            return False
        self._config = config
        self._features = config.theme.get("features") or []
        for name in PARTIALS:
            addresses = []
            tree = reader.tree(name)
            if tree is not None and reader.reads_only_settings(
                tree, {name}, addresses, _PARTIAL_NAMES
            ):
                self._wrap_partial(env, name, addresses)
        if stock_theme(env, config, TOC):
            self._wrap_toc(env)
        self._remember_translations(env, config, reader)
        for block in BLOCKS:
            addresses: list[str] = []
            parent = _block(trees["base.html"], block)
            if parent is None or not reader.reads_only_settings(parent, set(), addresses):
                continue
            self._wrap(env, "base.html", block, addresses)
            child = _block(trees["main.html"], block)
            if child is None or _calls_super(child):
                continue
            addresses = []
            if reader.reads_only_settings(child, set(), addresses):
                self._wrap(env, "main.html", block, addresses)
        return True

    def _remember_translations(self, env: jinja2.Environment, config: Any, reader: _Reader) -> None:
        """Remember what the theme's translation macro (`t(key)` of
        `partials/languages/*.html`) gives for each key: a page asks it a score of times, and
        each call builds the language's whole table. Only when the macro's syntax tree reads
        nothing but its key and constants."""
        language = config.theme.get("language") or "en"
        names = tuple(dict.fromkeys([f"partials/languages/{language}.html", _FALLBACK]))
        if not stock_theme(env, config, names):
            return
        for name in names:
            tree = reader.tree(name)
            macros = tree.find_all(nodes.Macro) if tree is not None else ()
            macro = next((m for m in macros if m.name == "t"), None)
            if macro is None or not _reads_only_its_key(macro):
                continue
            module = env.get_template(name).module
            if isinstance(getattr(module, "t", None), jinja2.runtime.Macro):
                module.t = _Remembered(module.t)
                self.shared.append((name, "t"))

    def _kept(self, key: tuple, render: Any, context: Any) -> str:
        """The HTML kept under `key`, rendered now if it is the first."""
        html, again = rendered_once(self.kept, key, render, context)
        self.hits += again
        return html

    def _settled(self, context: Any) -> bool:
        """True when the names a shared partial may read hold the site's own values (a
        template that includes it could have set them otherwise)."""
        lang = context.get("lang")
        return (
            context.get("config") is self._config
            and context.get("features") == self._features
            and getattr(lang, "__name__", None) == "partials/language.html"
        )

    def _wrap_partial(self, env: jinja2.Environment, name: str, addresses: list[str]) -> None:
        """Share an included partial's HTML among pages with the same base URL and relative
        addresses, when what it reads holds the site's own values."""
        template = env.get_template(name)
        render = template.root_render_func
        wanted = tuple(dict.fromkeys(addresses))

        def shared(context: Any) -> Iterator[str]:
            if not self._settled(context):
                yield from render(context)
                return
            page, base = context.get("page"), context.get("base_url", "")
            key = (name, base, *(normalize_url(a, page=page, base=base) for a in wanted))
            yield self._kept(key, render, context)

        template.root_render_func = shared
        self.shared.append((name, ""))

    def _wrap_toc(self, env: jinja2.Environment) -> None:
        """Share the table of contents among pages whose tables of contents are the same:
        `partials/toc.html` reads the page's `toc` (titles, addresses within the page,
        levels), the configuration and the translations only."""
        template = env.get_template(TOC[0])
        render = template.root_render_func

        def shared(context: Any) -> Iterator[str]:
            items = _shown_toc(getattr(context.get("page"), "toc", None))
            if items is None or not self._settled(context):
                yield from render(context)
                return
            key = (TOC[0], items)
            yield self._kept(key, render, context)

        template.root_render_func = shared
        self.shared.append((TOC[0], ""))

    def _wrap(self, env: jinja2.Environment, name: str, block: str, addresses: list[str]) -> None:
        """Share the block's HTML among pages with the same base URL to which every address
        it makes relative leads alike (`get_relative_url` depends on the folders a page and
        an address share, not on the depth alone)."""
        template = env.get_template(name)
        render = template.blocks.get(block)
        if render is None:
            return
        wanted = tuple(dict.fromkeys(addresses))

        def shared(context: Any) -> Iterator[str]:
            page, base = context.get("page"), context.get("base_url", "")
            key = (name, block, base, *(normalize_url(a, page=page, base=base) for a in wanted))
            yield self._kept(key, render, context)

        template.blocks[block] = shared
        self.shared.append((name, block))


def _shown_toc(toc: Any) -> tuple | None:
    """What `partials/toc.html` shows of a table of contents, as plain values: the entries
    under the page's first heading when that is a level-1 heading (its title is not shown),
    else every entry."""
    if toc is None:
        return None
    first = next(iter(toc), None)
    if first is not None and getattr(first, "level", None) == 1:
        children = _toc_key([first])
        return None if children is None else ("under the title", children[0][4])
    return _toc_key(toc)


def _toc_key(toc: Any) -> tuple | None:
    """A table of contents as plain values (None if it holds anything else: it is then
    rendered as always)."""
    if toc is None:
        return None
    items = []
    for item in toc:
        if type(item).__name__ != "AnchorLink" or getattr(item, "typeset", None) is not None:
            return None
        children = _toc_key(item.children)
        if children is None or not all(isinstance(v, str) for v in (item.title, item.url, item.id)):
            return None
        items.append((item.level, item.title, item.url, item.id, children))
    return tuple(items)


def _reads_only_its_key(macro: nodes.Macro) -> bool:
    """True when a macro `t(key)` is a function of its key alone: it reads no name but `key`
    and calls, filters, includes and imports nothing."""
    if [arg.name for arg in macro.args] != ["key"] or macro.defaults:
        return False
    loads = {n.name for n in macro.find_all(nodes.Name) if n.ctx == "load"}
    impure = (nodes.Call, nodes.Filter, nodes.Test, nodes.Include, nodes.Import, nodes.FromImport)
    return loads <= {"key"} and not any(macro.find_all(impure))


class _Remembered:
    """A translation macro with its answers remembered by key."""

    def __init__(self, macro: Any) -> None:
        self.macro = macro
        self.answers: dict[str, Any] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != 1 or type(args[0]) is not str:
            return self.macro(*args, **kwargs)
        answer = self.answers.get(args[0])
        if answer is None:
            answer = self.answers[args[0]] = self.macro(args[0])
        return answer
