"""A generated page: what the publish stage fills into the theme's page shell.

A page is the HTML of its article (`body`), its title and description as plain text, and its
table of contents, collected while the body is rendered (`Headings`). Its path is the path the
site's links name it by (`projects/MN003.md`), served at a directory address (`projects/MN003/`)
as mkdocs serves its own pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

from generator.render.html import visible


@dataclass(frozen=True)
class Heading:
    """One entry of a table of contents: a heading's level, anchor and title (escaped HTML,
    without tags: the theme's table of contents shows it as text)."""

    level: int
    id: str
    title: str
    children: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    description: str
    body: str
    toc: tuple[Heading, ...] = ()
    hide: tuple[str, ...] = ()
    edit: str | None = None
    """The record file behind the page (`data/projects/MN003/project.yaml`), for the theme's
    edit button when the site shows one."""

    @property
    def url(self) -> str:
        return url_of(self.path)


def url_of(path: str) -> str:
    """The address of the page at `path`, as mkdocs gives it with directory URLs:
    `index.md` → ``, `projects/index.md` → `projects/`, `projects/MN003.md` → `projects/MN003/`."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def output_of(path: str) -> str:
    """The file the page at `path` is written to: its address's `index.html`."""
    return url_of(path) + "index.html"


_TAG = re.compile(r"<[^>]*>")


class Headings:
    """The headings of a page as it is rendered: each call writes one heading, with its anchor
    and permanent link as Python-Markdown's table-of-contents extension writes them, and keeps
    it for the page's table of contents."""

    def __init__(self) -> None:
        self.flat: list[tuple[int, str, str]] = []
        self._ids: set[str] = set()

    def __call__(self, level: int, title: object, anchor: str | None = None) -> Markup:
        shown = title if isinstance(title, Markup) else escape(visible(str(title)))
        plain = _TAG.sub("", shown) if "<" in shown else str(shown)
        anchor = self._unique(anchor or slugify(Markup(plain).unescape(), "-") or "_")
        self.flat.append((level, anchor, plain))
        at = escape(anchor)
        return Markup(
            f'<h{level} id="{at}">{shown}<a class="headerlink" href="#{at}" '
            f'title="Permanent link">&para;</a></h{level}>'
        )

    def _unique(self, anchor: str) -> str:
        """An anchor not used before on the page (`x`, then `x_1`, `x_2`, …), as the
        table-of-contents extension makes them."""
        candidate, n = anchor, 0
        while candidate in self._ids:
            n += 1
            candidate = f"{anchor}_{n}"
        self._ids.add(candidate)
        return candidate

    def toc(self) -> tuple[Heading, ...]:
        """The headings nested by level: each heading holds those below it until the next
        one of its level or higher."""
        root: list[tuple[int, str, str, list]] = []
        stack: list[tuple[int, list]] = [(0, root)]
        for level, anchor, title in self.flat:
            while stack[-1][0] >= level:
                stack.pop()
            children: list = []
            stack[-1][1].append((level, anchor, title, children))
            stack.append((level, children))
        return _frozen(root)


def _frozen(entries: list) -> tuple[Heading, ...]:
    return tuple(Heading(lv, a, t, _frozen(ch)) for lv, a, t, ch in entries)
