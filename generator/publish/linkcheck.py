"""Every internal link of the built site resolves: each `href` and `src` of every page leads to a
file of the site, and each `#anchor` to an element of the page it names.

**Why** after the build: mkdocs checks the links of the pages it builds, but it sees only the
probes of generated pages; this check sees the site as it is published, both kinds of page.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

_TAG = re.compile(r"""<([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SKIPPED = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class Broken:
    page: str
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} — {self.why}"


_WANTED = ("href", "src", "id", "name")


def _attributes(text: str) -> Iterable[tuple[str, str, str]]:
    """(tag, attribute, value) of the attributes of every element that may hold a link or an
    anchor, read as a browser reads them: inside tags only (not in comments, scripts or
    styles), each quoted value whole (an attribute written inside another's value is part of
    that value)."""
    if "<!--" in text or "<script" in text or "<style" in text or "<SCRIPT" in text:
        text = _SKIPPED.sub("", text)
    for tag in _TAG.finditer(text):
        inside = tag.group(2)
        if "=" not in inside:
            continue
        lowered = inside.lower()
        if not any(word in lowered for word in _WANTED):
            continue
        name = tag.group(1).lower()
        for attribute in _ATTRIBUTE.finditer(inside):
            value = next((v for v in attribute.group(2, 3, 4) if v is not None), "")
            yield name, attribute.group(1).lower(), html.unescape(value) if "&" in value else value


def scan(text: str) -> tuple[list[str], set[str]]:
    """A page's links (`href`, `src`) and anchors (ids, and the names of `<a>` elements)."""
    links: list[str] = []
    ids: set[str] = set()
    for tag, name, value in _attributes(text):
        if name == "href" or name == "src":
            links.append(value)
        elif name == "id" or (name == "name" and tag == "a"):
            ids.add(value)
    return links, ids


def links_of(text: str) -> list[str]:
    """The addresses a page's elements lead to or load (`href`, `src`)."""
    return scan(text)[0]


def ids_of(text: str) -> set[str]:
    """The anchors of a page: its elements' ids, and the names of its `<a>` elements."""
    return scan(text)[1]


def json_links(data: bytes) -> list[str]:
    """The addresses (`href`) of the rows of a data file that the site's script draws as a
    table (index pages, long lists, serial blocks): relative to the site's root."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return []
    rows = [
        row
        for key in ("rows", "blocks")
        if isinstance(parsed, dict) and isinstance(parsed.get(key), list)
        for row in parsed[key]
    ]
    return [
        row["href"] for row in rows if isinstance(row, dict) and isinstance(row.get("href"), str)
    ]


def resolve(page: str, link: str, root: str = "/") -> tuple[str, str] | None:
    """The site file and anchor a link of the page at `page` (a file path under the site)
    leads to; None for an address outside the site. `root` is the site's own path on its
    server (`/jcm/` for `https://example.org/jcm/`): a link from the server's root (`/…`)
    must go through it."""
    if not link or _EXTERNAL.match(link):
        return None
    link, _, fragment = link.partition("#")
    link = link.partition("?")[0]
    if not link:
        return page, fragment
    if link.startswith("/"):
        if not (link + "/").startswith(root):
            return "..", fragment
        base, link = "", link[len(root) :] or "."
    else:
        base = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, unquote(link)))
    if target == ".":
        target = ""
    if target.startswith("../") or target == "..":
        return "..", fragment
    if link.endswith("/") or target == "":
        target = (target + "/index.html").lstrip("/")
    return target, fragment


class Links:
    """The internal links of a site, gathered page by page as it is written, then checked once
    every file is there: each target and anchor once, however many pages link to it."""

    def __init__(self, root: str = "/") -> None:
        self.root = root
        self.wanted: dict[tuple[str, str], tuple[str, str]] = {}
        """(file, anchor) → the first (page, link) that leads there."""
        self.within: list[Broken] = []
        """Links to an anchor of their own page that it does not have."""

    def add(
        self,
        page: str,
        links: Iterable[str],
        own: Collection[str] | None = None,
        at: str | None = None,
    ) -> list[str]:
        """Gather a page's links; returns where those that leave the page lead (`file#anchor`).
        With the page's anchors (`own`), a link to one of them is checked at once. `at`: the
        page the links are read from, when not `page` itself (a data file's rows are drawn
        on pages, from the site's root)."""
        out = []
        for link in links:
            found = resolve(at or page, link, self.root)
            if found is None:
                continue
            if found[0] == page and own is not None:
                if found[1] and unquote(found[1]) not in own:
                    self.within.append(Broken(page, link, f"{page} has no anchor #{found[1]}"))
                continue
            if found not in self.wanted:
                self.wanted[found] = (page, link)
            if found[0] != page:
                out.append(f"{found[0]}#{found[1]}")
        return out

    def add_resolved(self, page: str, targets: Iterable[str]) -> None:
        """Gather the links of a page given as where they lead (`add`'s answer)."""
        for target in targets:
            path, _, fragment = target.partition("#")
            if (path, fragment) not in self.wanted:
                self.wanted[(path, fragment)] = (page, target)

    def broken(self, files: Collection[str], ids: Mapping[str, Collection[str]]) -> list[Broken]:
        """The links that lead to no file of `files`, or to no anchor of the page (`ids`)."""
        present = set(files)
        folders = {posixpath.dirname(f) for f in present}
        found: list[Broken] = list(self.within)
        for (target, fragment), (page, link) in self.wanted.items():
            if target not in present:
                if target in folders and target + "/index.html" in present:
                    target += "/index.html"
                else:
                    found.append(Broken(page, link, "no such file in the site"))
                    continue
            anchored = fragment and target.endswith(".html")
            if anchored and unquote(fragment) not in ids.get(target, ()):
                found.append(Broken(page, link, f"{target} has no anchor #{fragment}"))
        return sorted(found, key=lambda b: (b.page, b.link))


def check(pages: Mapping[str, str], files: Iterable[str], root: str = "/") -> list[Broken]:
    """The broken links of `pages` (HTML by site path), in a site holding `files` and served
    at the path `root` of its server."""
    links = Links(root)
    for page, text in pages.items():
        links.add(page, links_of(text))
    return links.broken(set(files), {page: ids_of(text) for page, text in pages.items()})
