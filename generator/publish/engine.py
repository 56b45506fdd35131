"""The site engine: mkdocs-material builds the hand-written pages and the probes, through its
public API (`load_config`, `build`), in this process.

The operator's `mkdocs.yml` says how the site looks; the engine reads it once, refuses what the
generated pages cannot follow, and says which of its settings reach the hand-written pages only.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

PAGE_EVENTS = (
    "on_pre_page",
    "on_page_read_source",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
)
"""The plugin events that act on a page: they run for the pages mkdocs builds, and a generated
page is not one of them."""


class EngineError(RuntimeError):
    """The operator's settings cannot build this site, or mkdocs failed."""


def settings(config_file: Path, docs: Path, site: Path) -> MkDocsConfig:
    """The operator's settings, for a build of `docs` into `site`."""
    try:
        config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site), strict=True)
    except MkDocsException as exc:
        raise EngineError(f"{config_file}: {exc}") from None
    if not config.use_directory_urls:
        raise EngineError(
            f"{config_file}: use_directory_urls: false is not supported — generated pages are "
            "served at directory addresses (projects/MN003/); remove the setting"
        )
    if not config.nav:
        raise EngineError(
            f"{config_file}: the site needs a `nav` — without one mkdocs would list every "
            "generated page in the navigation"
        )
    # Links into generated pages are checked after they are written (generator.publish.
    # linkcheck), with every other link of the site: mkdocs sees only their probes.
    config.validation.links.anchors = logging.INFO
    return config


def _entries(config: MkDocsConfig) -> list[tuple[str | None, str]]:
    """The navigation's pages: (the title the entry gives, or None; the docs path)."""
    found: list[tuple[str | None, str]] = []

    def walk(entry: Any, title: str | None) -> None:
        if isinstance(entry, str):
            if not entry.startswith(("http://", "https://", "/")):
                found.append((title, entry))
        elif isinstance(entry, dict):
            for name, value in entry.items():
                walk(value, str(name))
        elif isinstance(entry, list):
            for value in entry:
                walk(value, None)

    walk(config.nav, None)
    return found


def nav_pages(config: MkDocsConfig) -> set[str]:
    """The docs paths the navigation names."""
    return {path for _title, path in _entries(config)}


def untitled(config: MkDocsConfig) -> set[str]:
    """The docs paths the navigation names without a title of their own (mkdocs then shows
    the page's title)."""
    return {path for title, path in _entries(config) if title is None}


def page_plugins(config: MkDocsConfig) -> list[str]:
    """The operator's plugins that act on pages (they do not see generated pages)."""
    return [
        name
        for name, plugin in config.plugins.items()
        if any(callable(getattr(plugin, event, None)) for event in PAGE_EVENTS)
    ]


def build(config: MkDocsConfig, epoch: int) -> list[str]:
    """Build the docs folder into the site folder; the warnings mkdocs gave. Raises
    `EngineError` with them when the build fails (strict: a warning fails it)."""
    messages = _Messages()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(messages)
    try:
        with _source_date(epoch):
            mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        raise EngineError(
            "the site engine failed:\n" + "\n".join([*messages.lines, str(exc)])
        ) from None
    finally:
        logger.removeHandler(messages)
    return messages.lines


class _Messages(logging.Handler):
    """mkdocs' warnings and errors, kept for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    """mkdocs dates its build from SOURCE_DATE_EPOCH: the commit's date, so that the same
    commit builds the same bytes."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
