"""Where each page of the site lives (paths under the docs folder), and relative links.

Links between generated pages are written as relative `.md` paths, so that the site engine
checks every one of them in its strict build (no broken internal link or anchor survives).
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache


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


def relative(target: str, base: str) -> str:
    """`target` as seen from the folder `base`, both paths under the docs folder: what
    `posixpath.relpath` gives, without its two lookups of the working folder per call.

    **Why:** a registry of 10,000 projects makes about 300,000 links; `relpath` made
    them a sixth of the time spent writing record pages."""
    if not target or target.startswith("/") or base.startswith("/"):
        return posixpath.relpath(target, base or ".")  # not a docs path: relpath's answer
    return _relative(target, base) or posixpath.relpath(target, base or ".")


@lru_cache(maxsize=1 << 16)
def _relative(target: str, base: str) -> str | None:
    """`relative` for paths inside the docs folder; None for one that leaves it (`..`)."""
    to = [part for part in posixpath.normpath(target).split("/") if part != "."]
    start = [part for part in posixpath.normpath(base or ".").split("/") if part != "."]
    if ".." in to or ".." in start:
        return None
    shared = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        shared += 1
    return "/".join([".."] * (len(start) - shared) + to[shared:]) or "."


class Links:
    """Relative links from one page to the others."""

    def __init__(self, here: str) -> None:
        self.here = here
        self.base = posixpath.dirname(here)

    def to(self, target: str, fragment: str = "") -> str:
        rel = relative(target, self.base)
        return f"{rel}#{fragment}" if fragment else rel

    def static(self, path: str) -> str:
        """A non-page file of the site (JSON, CSV, XLSX): relative to the page's URL.

        With directory URLs a page `projects/MN003.md` is served at `projects/MN003/`, one
        level deeper than its file.
        """
        depth = self.here.count("/") + (0 if self.here.endswith("index.md") else 1)
        return "../" * depth + path

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
