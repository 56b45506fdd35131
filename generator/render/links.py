"""Where each page of the site lives, and the relative links between pages.

Pages are named by their path under the docs folder (`projects/MN003.md`), as mkdocs names the
hand-written ones, and served at directory addresses (`projects/MN003/`). Links are written as
the relative addresses a browser follows, computed as mkdocs computes them for its own pages;
the publish stage checks every one of them after the build (`generator.publish.linkcheck`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.render.page import url_of


def anchor(text: str) -> str:
    """A stable anchor id for an item id or a period: lowercase letters, digits, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def project(pid: str) -> str:
    return f"projects/{pid}.md"


def methodology(mid: str) -> str:
    return f"methodologies/{mid}.md"


def country(code: str) -> str:
    return f"countries/{code}.md"


def tpe(slug: str) -> str:
    return f"tpes/{slug}.md"


def decision(key: str) -> str:
    return f"decisions/{key}.md"


def item(ref: str) -> tuple[str, str]:
    """`MN/2016-09-29-4th-jc#3` → (decision page, anchor)."""
    key, _, item_id = ref.partition("#")
    return decision(key), f"item-{anchor(item_id)}"


def period_anchor(start: object, end: object) -> str:
    return f"period-{start}-{end}"


def _parts(path: str) -> list[str]:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return parts


@lru_cache(maxsize=1 << 16)
def relative_url(url: str, base: str) -> str:
    """The address `url` as seen from the page at address `base` (both relative to the site's
    root), as `mkdocs.utils.get_relative_url` gives it (a test holds the two equal)."""
    head, _, last = base.rpartition("/")
    if "." in last:
        base = head
    to, start = _parts(url), _parts(base)
    shared = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        shared += 1
    rel = "/".join([".."] * (len(start) - shared) + to[shared:]) or "."
    return rel + "/" if url.endswith("/") else rel


class Links:
    """Relative links from one page to the others and to the site's files."""

    def __init__(self, here: str) -> None:
        self.here = here
        self.base = url_of(here)

    def to(self, target: str, fragment: str = "") -> str:
        """A page (`….md`) or a file of the site (`downloads/projects.csv`), with an anchor."""
        url = url_of(target) if target.endswith(".md") else target
        rel = relative_url(url, self.base)
        return f"{rel}#{fragment}" if fragment else rel

    def static(self, path: str) -> str:
        """A file of the site, by a path that climbs to the site's root first: what the
        browser's scripts join other paths to (`static("")` is the root itself)."""
        return "../" * self.base.count("/") + path

    def project(self, pid: str) -> str:
        return self.to(project(pid))

    def methodology(self, mid: str) -> str:
        return self.to(methodology(mid))

    def country(self, code: str) -> str:
        return self.to(country(code))

    def tpe(self, slug: str) -> str:
        return self.to(tpe(slug))

    def decision(self, key: str) -> str:
        return self.to(decision(key))

    def item(self, ref: str) -> str:
        page, frag = item(ref)
        return self.to(page, frag)
