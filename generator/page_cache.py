"""The site engine's Markdown → HTML conversion, kept between builds (a mkdocs plugin).

Converting Markdown is two thirds of the engine's time on the registry's pages (4 ms for a
project page at 10,000 projects); after a merge almost every page's Markdown is what it was.
A page is converted again unless the cache holds a conversion of the same Markdown, at the same
address, by the same engine and extensions, whose every link resolved to the same files as now.

The site stays byte-identical (`tests/test_page_cache.py` builds with and without the cache and
compares every file), and strict checking keeps its teeth: a conversion that logged anything is
never kept, and a kept one is used only if every file it looked up still exists at the same
address; anchor links are checked after every page as always, from the kept lists.

Used by `generator.publish` in the engine's process, never named in `mkdocs.yml`.
"""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from generator.cache import Cache, key_of, pickled

ENV = "JCM_PAGE_CACHE_DIR"
NAMESPACE = "page"
_FLUSH_EVERY = 2000
_ENGINE = ("mkdocs", "markdown", "pymdown-extensions")


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append(record)


def _tokens(links: list[AnchorLink]) -> list[dict[str, Any]]:
    return [
        {"name": a.title, "id": a.id, "level": a.level, "children": _tokens(a.children)}
        for a in links
    ]


def _lookup(files: Any, path: str) -> tuple[str, str] | None:
    found = files.get_file_from_path(path)
    return (found.src_uri, found.url) if found is not None else None


class PageCache(BasePlugin):
    """Keeps each page's conversion in the registry's cache (namespace `page`)."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.cache = Cache(directory)
        self.pending: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self._salt = ""

    def on_config(self, config: Any) -> Any:
        versions = [f"{name}=={metadata.version(name)}" for name in _ENGINE]
        self._salt = key_of(
            *versions,
            repr(config["markdown_extensions"]),
            repr(sorted((config["mdx_configs"] or {}).items(), key=lambda kv: kv[0])),
            repr(config["use_directory_urls"]),
            repr(config["validation"]),
        )
        return config

    def on_pre_page(self, page: Page, *, config: Any, files: Any) -> Page:
        page.render = lambda config, files, page=page: self._render(page, config, files)
        return page

    def _render(self, page: Page, config: Any, files: Any) -> None:
        key = key_of(self._salt, page.file.src_uri, page.markdown or "")
        self.used.add(key)
        kept = self.cache.get(NAMESPACE, key)
        if kept is not None and self._restore(page, kept, files):
            self.hits += 1
            return
        self.misses += 1
        self._convert(page, config, files, key)

    def _restore(self, page: Page, kept: dict[str, Any], files: Any) -> bool:
        try:
            if any(_lookup(files, path) != tuple_or_none(seen) for path, seen in kept["lookups"]):
                return False
            links = None
            if kept["links_to_anchors"] is not None:
                links = {}
                for src_uri, anchors in kept["links_to_anchors"]:
                    target = files.get_file_from_path(src_uri)
                    if target is None:
                        return False
                    links[target] = dict(anchors)
            page.content = kept["content"]
            page.toc = get_toc(kept["toc"])
            page._title_from_render = kept["title"]
            page.present_anchor_ids = set(kept["anchors"])
            page.links_to_anchors = links
        except (KeyError, TypeError, ValueError):
            return False
        return True

    def _convert(self, page: Page, config: Any, files: Any, key: str) -> None:
        lookups: dict[str, tuple[str, str] | None] = {}
        original = files.get_file_from_path

        def spy(path: str) -> Any:
            found = original(path)
            lookups[path] = (found.src_uri, found.url) if found is not None else None
            return found

        recorder = _Recorder()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(recorder)
        files.get_file_from_path = spy
        try:
            Page.render(page, config, files)
        finally:
            del files.get_file_from_path
            logger.removeHandler(recorder)
        if recorder.records:
            return  # a conversion that said anything is converted (and says it) every time
        links = page.links_to_anchors
        self.pending[key] = pickled(
            {
                "content": page.content,
                "toc": _tokens(list(page.toc)),
                "title": page._title_from_render,
                "anchors": sorted(
                    page.present_anchor_ids or (), key=lambda a: (a is None, a or "")
                ),
                "links_to_anchors": None
                if links is None
                else [(f.src_uri, list(a.items())) for f, a in links.items()],
                "lookups": sorted(
                    (path, list(seen) if seen else None) for path, seen in lookups.items()
                ),
            }
        )
        if len(self.pending) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self.cache.put_pickled(NAMESPACE, self.pending)
        self.pending = {}

    def on_post_build(self, *, config: Any) -> None:
        self._flush()
        self.cache.keep_only(NAMESPACE, self.used)
        self.cache.close()


def tuple_or_none(value: Any) -> tuple | None:
    return tuple(value) if value is not None else None


def install(config: Any, directory: Path) -> PageCache:
    """Add the cache to a loaded mkdocs configuration (in the engine's process)."""
    plugin = PageCache(directory)
    config.plugins["jcm-page-cache"] = plugin
    return plugin
