"""A Markdown extension that spares the inline patterns text none of them can match.

Python-Markdown tries each of its inline patterns (code, escapes, links, images, autolinks,
line breaks, inline HTML, entities, emphasis) on every run of text, one regular expression
after another, even on a table cell that reads `2019-01-21` or `Synthetic Host Company 49`.
At registry scale that is a quarter of the site engine's conversion time. Every one of those
patterns needs a character of its own to match (a backtick, a backslash, `[`, `<`, `&`, a
delimiter such as `*` or `_`, or two spaces before a line end); text holding none of them
comes out of the patterns unchanged, so it is passed through as it is. Text that holds some
(a link's `[`, an escape's backslash) goes only through the patterns whose characters it holds,
in their order: a pattern whose character is absent can find nothing, as if it had been tried.

**Why** it is exact: the skip is taken only when the registered inline patterns are exactly
the ones whose characters are listed here, with the same regular expressions (checked for
each document, so a pattern or delimiter changed between documents is seen). Any other
pattern (an extension adding one, a new Python-Markdown release changing one) turns the skip
off for that document, and every text goes through the patterns as before.
`tests/test_inline_skip.py` converts the registry's pages both ways and compares the HTML byte
for byte.

Added by `generator.page_cache` in the site engine's process, never named in `mkdocs.yml`.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import inlinepatterns as ip
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# name → (class, regular expression, the strings one of which its matches must hold); the
# delimiters (emphasis) have no expression: their tokens are the strings
_KNOWN: dict[str, tuple[type, str | None, tuple[str, ...]]] = {
    "backtick": (ip.BacktickInlineProcessor, ip.BACKTICK_RE, ("`",)),
    "escape": (ip.EscapeInlineProcessor, ip.ESCAPE_RE, ("\\",)),
    "reference": (ip.ReferenceInlineProcessor, ip.REFERENCE_RE, ("[",)),
    "link": (ip.LinkInlineProcessor, ip.LINK_RE, ("[",)),
    "image_link": (ip.ImageInlineProcessor, ip.IMAGE_LINK_RE, ("[",)),
    "image_reference": (ip.ImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, ("[",)),
    "short_reference": (ip.ShortReferenceInlineProcessor, ip.REFERENCE_RE, ("[",)),
    "short_image_ref": (ip.ShortImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, ("[",)),
    "autolink": (ip.AutolinkInlineProcessor, ip.AUTOLINK_RE, ("<",)),
    "automail": (ip.AutomailInlineProcessor, ip.AUTOMAIL_RE, ("<",)),
    "linebreak": (ip.SubstituteTagInlineProcessor, ip.LINE_BREAK_RE, ("  \n",)),
    "html": (ip.HtmlInlineProcessor, ip.HTML_RE, ("<",)),
    "entity": (ip.HtmlInlineProcessor, ip.ENTITY_RE, ("&",)),
    "em_strong": (ip.DelimiterProcessor, None, ()),
}
_NEVER = "(?!)"


def needs_of(patterns: Any) -> list[tuple[str, ...]] | None:
    """For each registered inline pattern, in the order they are tried, the strings one of
    which a text must hold for it to match; None when the patterns are not all known ones
    (then nothing is skipped)."""
    names = {id(pattern): name for name, pattern in patterns._data.items()}
    needs: list[tuple[str, ...]] = []
    for pattern in patterns:
        known = _KNOWN.get(names[id(pattern)])
        if known is None or type(pattern) is not known[0]:
            return None
        if known[1] is None:
            needs.append(tuple(sorted(pattern.delimiters)))
            continue
        if pattern.compiled_re.pattern != known[1] or pattern.compiled_re.flags != _FLAGS:
            return None
        needs.append(known[2])
    return needs


def may_match(patterns: Any) -> re.Pattern[str] | None:
    """A regular expression that finds, in a text, a string some inline pattern needs;
    None when the registered patterns are not all known ones (then nothing is skipped)."""
    needs = needs_of(patterns)
    return None if needs is None else _any_of(needs)


def _any_of(needs: list[tuple[str, ...]]) -> re.Pattern[str]:
    needed = sorted({text for strings in needs for text in strings})
    characters = "".join(re.escape(text) for text in needed if len(text) == 1)
    longer = [re.escape(text) for text in needed if len(text) > 1]
    return re.compile("|".join(([f"[{characters}]"] if characters else []) + longer) or _NEVER)


_FLAGS = re.compile("", re.DOTALL).flags


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, trying on a text only the patterns whose
    characters it holds (none: the text is passed through)."""

    _needs: list[tuple[str, ...]] | None = None  # None: no skip
    _check: re.Pattern[str] = re.compile(_NEVER)

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        """Python-Markdown's run, with the patterns' strings read again for each document:
        a converter reused after `reset()` may have had patterns or delimiters changed."""
        self._needs = needs_of(self.inlinePatterns)
        if self._needs is not None:
            self._check = _any_of(self._needs)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """`InlineProcessor.__handleInline`, with the patterns that cannot match passed over.

        **Why** it is the same: a pattern tried on a text it cannot match returns it unchanged
        and sends the loop on to the next pattern from the text's start, which is what passing
        it over does; a match only ever replaces text with a placeholder (no pattern's
        character), so a character absent before stays absent."""
        needs = self._needs
        if needs is None:
            return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[attr-defined]
        if isinstance(data, util.AtomicString) or self._check.search(data) is None:
            return data
        patterns = self.inlinePatterns
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(needs):
            if not any(text in data for text in needs[patternIndex]):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class InlineSkip(Extension):
    """Replaces Python-Markdown's own 'inline' tree processor with `SkippingInlineProcessor`,
    at the same priority; one another extension put in its place is left alone."""

    def extendMarkdown(self, md: Any) -> None:
        if "inline" not in md.treeprocessors:
            return
        if type(md.treeprocessors["inline"]) is not InlineProcessor:
            return
        priority = next(
            item.priority for item in md.treeprocessors._priority if item.name == "inline"
        )
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority)

    def __repr__(self) -> str:
        """Stable across processes: mkdocs settings are part of cache keys."""
        return "InlineSkip()"
