"""Every internal link of the built site resolves: each `href` and `src` of every page leads to a
file of the site, and each `#anchor` to an element of the page it names.

**Why** after the build: mkdocs checks the links of the pages it builds, but it sees only the
probes of generated pages; this check sees the site as it is published, both kinds of page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

_LINK = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class Broken:
    page: str
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} — {self.why}"


def links_of(text: str) -> list[str]:
    return [_value(m) for m in _LINK.finditer(text)]


def ids_of(text: str) -> set[str]:
    return {_value(m) for m in _ID.finditer(text)}


def _value(match: re.Match[str]) -> str:
    value = match.group(1) if match.group(1) is not None else match.group(2)
    return html.unescape(value) if "&" in value else value


@lru_cache(maxsize=1 << 16)
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


def check(
    pages: Mapping[str, str],
    files: Iterable[str],
    root: str = "/",
    ids: Mapping[str, set[str]] | None = None,
) -> list[Broken]:
    """The broken links of `pages` (HTML by site path), in a site holding `files` and served
    at the path `root` of its server.

    `ids`, when given, are the anchors of each page (else read from its text)."""
    present = set(files)
    folders = {posixpath.dirname(f) for f in present}
    anchors = dict(ids) if ids is not None else {}
    broken: list[Broken] = []
    for page, text in pages.items():
        for link in dict.fromkeys(links_of(text)):
            found = resolve(page, link, root)
            if found is None:
                continue
            target, fragment = found
            if target not in present:
                if target in folders and target + "/index.html" in present:
                    target += "/index.html"
                else:
                    broken.append(Broken(page, link, "no such file in the site"))
                    continue
            if fragment and target.endswith(".html"):
                known = anchors.get(target)
                if known is None:
                    text_of = pages.get(target)
                    known = anchors[target] = ids_of(text_of) if text_of is not None else set()
                if unquote(fragment) not in known:
                    broken.append(Broken(page, link, f"{target} has no anchor #{fragment}"))
    return broken
