"""A Markdown extension that answers "is this tag block-level?" from a set, not a list.

Python-Markdown asks `Markdown.is_block_level(tag)` for every element it parses, prettifies
and serialises, and looks the tag up in `block_level_elements`, a list of some sixty names:
7 % of the site engine's conversion time on registry pages. The list stays a list, as
extensions expect (they append to it and remove from it), but one that keeps a set of its
names beside it on every change, and the converter looks tags up in that set.

**Why** it is exact: the answer is membership in the same names, whatever method of the list
changed them and when (only `list.append(tags, ...)` called on the class itself would go
unseen), and a plain list put in its place is read as Python-Markdown reads it;
`tests/test_block_tags.py` converts the registry's pages both ways and compares the HTML byte
for byte, and changes the list every way a list can change.

Added by `generator.page_cache` in the site engine's process, never named in `mkdocs.yml`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from markdown.extensions import Extension

# every method by which a list's items can change
_CHANGES = (
    "append", "extend", "insert", "remove", "pop", "clear",
    "__setitem__", "__delitem__", "__iadd__", "__imul__",
)  # fmt: skip


class BlockTags(list[str]):
    """A list of tag names that keeps a set of them up to date (`names`)."""

    def __init__(self, tags: Iterable[str] = ()) -> None:
        super().__init__(tags)
        self.names = frozenset(self)

    def __contains__(self, tag: object) -> bool:
        return tag in self.names


def _tracking(name: str) -> Callable[..., Any]:
    """The list's own method `name`, then the set made again from the items."""
    change = getattr(list, name)

    @functools.wraps(change)
    def changed(self: BlockTags, *args: Any) -> Any:
        try:
            return change(self, *args)
        finally:  # also when it failed halfway (an `extend` from a generator that raised)
            self.names = frozenset(self)

    return changed


for _name in _CHANGES:
    setattr(BlockTags, _name, _tracking(_name))


def block_level_in(md: Any) -> Any:
    """`Markdown.is_block_level` for `md`, looking the tag up in the set its `BlockTags` keeps;
    in the list itself if something put a plain list in its place."""

    def is_block_level(tag: Any) -> bool:
        if isinstance(tag, str):
            tags = md.block_level_elements
            return tag.lower().rstrip("/") in getattr(tags, "names", tags)
        return False  # some ElementTree tags are not strings

    return is_block_level


class BlockTagSet(Extension):
    """Gives the converter a `BlockTags` copy of its block-level names and the set lookup;
    left alone where something else already replaced `is_block_level` or the list."""

    def extendMarkdown(self, md: Any) -> None:
        if "is_block_level" in vars(md) or type(md.block_level_elements) is not list:
            return
        md.block_level_elements = BlockTags(md.block_level_elements)
        md.is_block_level = block_level_in(md)

    def __repr__(self) -> str:
        """Stable across processes: mkdocs settings are part of cache keys."""
        return "BlockTagSet()"
