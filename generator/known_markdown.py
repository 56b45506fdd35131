"""The generator's own Markdown converted to HTML here, as the site's converter converts it.

The site engine converts every page with Python-Markdown (the extensions in `mkdocs.yml`): at
registry scale that is half of the engine's time, spent mostly on pages the generator wrote
from templates, which use a small part of Markdown (headings with ids, tables, paragraphs, one
level of bullet lists, links, code, strong text, inline tags, the record wrapper `<div
markdown="1">`, the sanitised narrative blocks). `convert` turns such a page into the HTML,
table of contents and anchors Python-Markdown gives, byte for byte, and answers None for any
page that steps outside that part: a construct it does not know, or one whose reading depends
on rules it does not follow (emphasis it cannot read for sure, reference links, other raw HTML
blocks, code fences, line breaks…). Such a page, and any page whose links mkdocs would warn
about, is converted by Python-Markdown as before. On the record pages of a 1,000-project
registry it is about five times as fast, and the engine on one core takes half the time.

**Why** a second converter rather than HTML templates: the templates stay one source of the
pages, hand-written pages keep the full converter, and the tests hold this one to
Python-Markdown on whole registries and generated record text (`tests/test_known_markdown.py`).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique
from markdown.inlinepatterns import HTML_RE
from markdown.serializers import RE_AMP
from markdown.util import code_escape

# The extensions (and settings) this converter follows: mkdocs' own three, then mkdocs.yml's.
EXTENSIONS = (
    "toc",
    "tables",
    "fenced_code",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
)
SETTINGS = {"toc": {"permalink": True, "marker": ""}}


class _Unknown(Exception):
    """The text steps outside what this converter follows."""


@dataclass
class Converted:
    """A page's conversion, as mkdocs keeps it from Python-Markdown."""

    content: str
    toc_tokens: list[dict[str, Any]]
    anchors: set[str] = field(default_factory=set)


def follows(extensions: list[Any], settings: dict[str, Any]) -> bool:
    """True when a site converts with exactly the extensions and settings followed here (other
    entries must be instances that change how fast pages convert, never what they convert to:
    the caller passes those filtered out)."""
    return tuple(extensions) == EXTENSIONS and dict(settings or {}) == SETTINGS


@functools.cache
def _reference() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=SETTINGS)


@functools.cache
def _escapable() -> frozenset[str]:
    return frozenset(_reference().ESCAPED_CHARS)


@functools.cache
def _block_tag() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, _reference().block_level_elements), key=len)[::-1])
    return re.compile(rf"</?(?:{names})\b", re.I)


@functools.cache
def _table() -> Any:
    """Python-Markdown's own table processor: its tests and cell splitting are used as they
    are (pipes inside code spans, escaped pipes)."""
    return _reference().parser.blockprocessors["table"]


# What no followed page holds: code fences, comments, line breaks, triple or doubled delimiters,
# images, an escaped backslash before a backtick, an escape right after an ampersand…
_REJECTED_TEXT = ("```", "~~~", "<!--", " \n", "&\\", "\\\\`", "``", "***", "__", "![")
_REJECTED_CHARACTERS = re.compile(r"[\t\r\x02\x03]")
# …lines that open boxes, details, references or rules…
_REJECTED_LINE = re.compile(r"^ {0,3}(?:!!!|\?\?\?|\[[^\]\n]*\]:|[*_=-]{3,}[ \t]*$)", re.M)
# …ids or names in raw HTML (mkdocs reads them as anchors, even in code spans), in any case…
_ANCHOR_ATTRIBUTE = re.compile(r"<[A-Za-z][^<]*?(?i:\b(?:id|name))\s*=")
# …and attributes other than a paragraph's closing `{: #id }`.
_ATTRIBUTES = re.compile(r"\{:(?! #[\w-]+ \}$)", re.M)


def _rejected(source: str) -> bool:
    """True when the page holds something this converter does not follow anywhere."""
    return (
        any(text in source for text in _REJECTED_TEXT)
        or source.endswith(" ")
        or _REJECTED_CHARACTERS.search(source) is not None
        or _REJECTED_LINE.search(source) is not None
        or ("<" in source and _ANCHOR_ATTRIBUTE.search(source) is not None)
        or ("{:" in source and _ATTRIBUTES.search(source) is not None)
    )


_WRAPPER = re.compile(r'<div class="([\w -]+)" markdown="1"((?: data-[\w-]+)*)>')
# A record's narrative, converted and sanitised by `generator.render.prose`: passed as it is
_PROSE = re.compile(
    r'<div class="jcm-prose" markdown="0">\n'
    r"(?:(?![^\n]*(?i:</?div|<script|<style|<textarea|<!--|markdown=))[^\n]*\n)*</div>"
)
_HEADING = re.compile(r"(#{1,6}) (.*?)(?: \{ #([\w-]+) \})?")
_PARAGRAPH_ID = re.compile(r"\n\{: #([\w-]+) \}$")
_TAG = re.compile(HTML_RE)
_TAG_UNSAFE = re.compile(r"[`\\\[\]!@]")
_ITEM = re.compile(r"- (?=\S)")
_ITEM_BLOCK = re.compile(r"[-_+>#!?<=:|]|\*(?!\*\w)|\d+[.)]|\[[^\]]*\]:")
_SUBITEM = re.compile(r" {4}- (?=\S)")
_BLOCK_START = re.compile(r" *(?:[#>|<=_-]|[*+](?:\s|$)|\d+[.)])")
_SPECIAL = re.compile(r"[\\`\[<*_!\]{}]")
_HREF_UNSAFE = re.compile(r"[\s\"'<>()\\`]")


def _escape_cdata(text: str) -> str:
    if "&" in text:
        text = RE_AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return _escape_cdata(text).replace('"', "&quot;")


def convert(source: str, rewrite: Callable[[str], str]) -> Converted | None:
    """The page's conversion, or None when it is not one this converter follows.

    `rewrite` gives each link's address as the site writes it (mkdocs' relative-path rewriting);
    it is called in the order mkdocs rewrites them: the document's order, a heading's
    permanent link after the heading's own links.
    """
    try:
        return _Page(rewrite).convert(source)
    except _Unknown:
        return None


class _Page:
    def __init__(self, rewrite: Callable[[str], str]) -> None:
        self.rewrite = rewrite
        self.escapable = _escapable()

    def convert(self, source: str) -> Converted:
        if _rejected(source):
            raise _Unknown
        blocks = _blocks(source)
        rest = "\n".join(b for kind, b in blocks if kind not in ("open", "close", "raw"))
        if _block_tag().search(rest):
            raise _Unknown  # md_in_html reads block-level tags even within text
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}
        for kind, block in blocks:
            if kind == "heading":
                explicit = _HEADING.fullmatch(block)
                if explicit and explicit.group(3):
                    self.used.add(explicit.group(3))
            elif kind == "paragraph":
                found = _PARAGRAPH_ID.search(block)
                if found:
                    self.used.add(found.group(1))
        self.anchors: set[str] = set(self.used)
        self.tokens: list[dict[str, Any]] = []
        out: list[str] = []
        first = True
        for kind, block in blocks:
            if first and kind == "heading" and block.startswith("# "):
                raise _Unknown  # mkdocs would take the page's title from it
            first = False
            getattr(self, "_" + kind)(block, out)
        return Converted("".join(out).strip(), nest_toc_tokens(self.tokens), self.anchors)

    # blocks -------------------------------------------------------------------------------

    def _open(self, block: str, out: list[str]) -> None:
        wrapper = _WRAPPER.fullmatch(block)
        assert wrapper is not None
        attributes = [("class", wrapper.group(1))]
        attributes += [(name, name) for name in wrapper.group(2).split()]
        written = " ".join(f'{k}="{_escape_attribute(v)}"' for k, v in sorted(attributes))
        out.append(f"<div {written}>\n")

    def _close(self, block: str, out: list[str]) -> None:
        out.append("</div>\n")

    def _raw(self, block: str, out: list[str]) -> None:
        out.append(block + "\n\n")

    def _heading(self, block: str, out: list[str]) -> None:
        found = _HEADING.fullmatch(block)
        if found is None:
            raise _Unknown
        level = len(found.group(1))
        text, given = found.group(2).strip(), found.group(3)
        if not text or text.endswith("#") or "\\>" in text:
            raise _Unknown
        written: list[str] = []
        rewrite, self.rewrite = self.rewrite, _as_written
        try:
            self._inline(text, written)
        finally:
            self.rewrite = rewrite
        written_html = "".join(written).strip()
        name = strip_tags(written_html)
        inner: list[str] = []
        self._inline(text, inner)
        inner_html = "".join(inner).strip()
        ident = given or unique(slugify(html.unescape(name), "-"), self.used, self.counters)
        self.anchors.add(ident)
        self.tokens.append(
            {"level": level, "id": ident, "name": name, "html": written_html, "data-toc-label": ""}
        )
        link = self.rewrite("#" + ident)
        out.append(
            f'<h{level} id="{_escape_attribute(ident)}">{inner_html}'
            f'<a class="headerlink" href="{_escape_attribute(link)}" title="Permanent link">'
            f"&para;</a></h{level}>\n"
        )

    def _paragraph(self, block: str, out: list[str]) -> None:
        ident = None
        found = _PARAGRAPH_ID.search(block)
        if found:
            ident, block = found.group(1), block[: found.start()]
        lines = block.split("\n")
        if any(_BLOCK_START.match(line) for line in lines[1:]):
            raise _Unknown
        if len(lines) > 1 and set(lines[1]) <= set("|:- "):
            raise _Unknown  # a table without its outer pipes
        text = block.lstrip()
        if text.startswith("<") and _TAG.fullmatch(text):
            raise _Unknown  # a lone tag: Python-Markdown may take it for a block of HTML
        inner: list[str] = []
        self._inline(text, inner)
        opening = "<p>" if ident is None else f'<p id="{_escape_attribute(ident)}">'
        out.append(f"{opening}{''.join(inner)}</p>\n")

    def _list(self, block: str, out: list[str]) -> None:
        items: list[tuple[str, list[str]]] = []
        for line in block.split("\n"):
            if _ITEM.match(line):
                items.append((line[2:], []))
            elif _SUBITEM.match(line) and items:
                items[-1][1].append(line[6:])
            else:
                raise _Unknown
        out.append("<ul>\n")
        for text, subitems in items:
            out.append("<li>")
            self._item_text(text, out)
            if subitems:
                out.append("<ul>\n")
                for sub in subitems:
                    out.append("<li>")
                    self._item_text(sub, out)
                    out.append("</li>\n")
                out.append("</ul>\n")
            out.append("</li>\n")
        out.append("</ul>\n")

    def _item_text(self, text: str, out: list[str]) -> None:
        """An item's text; Python-Markdown reads it as a block first, so anything that could
        start one (a rule, a list, a quote, a heading, a box, a reference) is left to it."""
        if _ITEM_BLOCK.match(text):
            raise _Unknown
        self._inline(text, out)

    def _table(self, block: str, out: list[str]) -> None:
        table = _table()
        if not table.test(None, block):
            raise _Unknown
        lines = block.split("\n")
        align: list[str | None] = []
        for cell in table.separator:
            cell = cell.strip(" ")
            if cell.startswith(":") and cell.endswith(":"):
                align.append("center")
            elif cell.startswith(":"):
                align.append("left")
            elif cell.endswith(":"):
                align.append("right")
            else:
                align.append(None)
        out.append("<table>\n<thead>\n")
        self._row(lines[0].strip(" "), "th", align, out)
        out.append("</thead>\n<tbody>\n")
        rows = lines[2:]
        if not rows:
            raise _Unknown
        for row in rows:
            self._row(row.strip(" "), "td", align, out)
        out.append("</tbody>\n</table>\n")

    def _row(self, row: str, tag: str, align: list[str | None], out: list[str]) -> None:
        if not row.startswith("|"):
            raise _Unknown
        if "\\" in row or "`" in row:
            cells = _table()._split_row(row)
        else:  # no escape, no code span: every pipe parts cells, as Python-Markdown parts them
            cells = row[1:].removesuffix("|").split("|")
        if len(cells) != len(align):
            raise _Unknown
        out.append("<tr>\n")
        for cell, side in zip(cells, align, strict=True):
            text = cell.strip(" ")
            style = f' style="text-align: {side};"' if side else ""
            out.append(f"<{tag}{style}>")
            self._inline(text, out)
            out.append(f"</{tag}>\n")
        out.append("</tr>\n")

    # inline ------------------------------------------------------------------------------

    def _inline(self, text: str, out: list[str], nested: bool = False) -> None:
        """Inline text as Python-Markdown writes it: text nodes escaped as its serializer
        escapes them (after backslash escapes are undone), tags and entities as written."""
        special = _SPECIAL.search
        if special(text) is None:
            if text:
                out.append(_escape_cdata(text))
            return
        buffer: list[str] = []
        i, end = 0, len(text)
        escapable = self.escapable
        while i < end:
            found = special(text, i)
            if found is None:
                buffer.append(text[i:])
                break
            j = found.start()
            if j > i:
                buffer.append(text[i:j])
            i = j
            c = text[i]
            if c == "\\":
                after = text[i + 1 : i + 2]
                if after and after in escapable:
                    buffer.append(after)
                    i += 2
                else:
                    buffer.append(c)
                    i += 1
            elif c == "`":
                close = text.find("`", i + 1)
                code = text[i + 1 : close]
                if close < 0 or not code.strip() or "\n" in code:
                    raise _Unknown
                _flush(buffer, out)
                out.append(f"<code>{code_escape(code.strip())}</code>")
                i = close + 1
            elif c == "[":
                if nested:
                    raise _Unknown
                i = self._link(text, i, buffer, out)
            elif c == "<":
                tag = _TAG.match(text, i)
                if tag is None or _TAG_UNSAFE.search(tag.group(0)) or not _inline_tag(tag.group(0)):
                    raise _Unknown
                _flush(buffer, out)
                out.append(tag.group(0))
                i = tag.end()
            elif c == "*":
                if nested:
                    raise _Unknown
                i = self._strong(text, i, buffer, out)
            elif c == "_":
                before, after = text[i - 1 : i], text[i + 1 : i + 2]
                if not (before.isalnum() and after.isalnum()):
                    raise _Unknown
                buffer.append(c)
                i += 1
            elif c == "!":
                if text.startswith("![", i):
                    raise _Unknown
                buffer.append(c)
                i += 1
            elif c == "]" and not nested:
                buffer.append(c)
                i += 1
            else:  # { } (attributes), or ] in a link's text
                raise _Unknown
        _flush(buffer, out)

    def _link(self, text: str, i: int, buffer: list[str], out: list[str]) -> int:
        """A link `[text](address)`; a bracket that opens none is text, as it is to
        Python-Markdown when the page defines no references (it never does: see _REJECTED_LINE)."""
        j = text.find("]", i + 1)
        inside = text[i + 1 : j] if j >= 0 else text[i + 1 :]
        if "\\" not in inside:
            opened = "[" in inside or "`" in inside
        else:  # an escaped bracket or backtick neither closes, opens nor starts code
            j, opened = i + 1, False
            while j < len(text) and text[j] != "]":
                if text[j] == "\\":
                    j += 2
                    continue
                opened = opened or text[j] in "[`"
                j += 1
            j = j if j < len(text) else -1
        if opened:
            raise _Unknown  # brackets within brackets, or a code span (read before links)
        if j < 0:
            buffer.append("[")
            return i + 1
        after = text[j + 1 : j + 2]
        if after != "(":
            if after == "[":
                raise _Unknown
            buffer.append("[")
            return i + 1
        close = text.find(")", j + 2)
        href = text[j + 2 : close]
        label = text[i + 1 : j]
        if close < 0 or not href or _HREF_UNSAFE.search(href) or not label.strip():
            raise _Unknown
        _flush(buffer, out)
        out.append(f'<a href="{_escape_attribute(self.rewrite(href))}">')
        self._inline(label, out, nested=True)
        out.append("</a>")
        return close + 1

    def _strong(self, text: str, i: int, buffer: list[str], out: list[str]) -> int:
        """`**strong**` or `*emphasis*` around plain words, opening after a space (or at the
        start) and closing before a space, a punctuation mark or the end: the cases where
        Python-Markdown's delimiter rules cannot read them otherwise."""
        if text.startswith("***", i):
            raise _Unknown
        mark = "**" if text.startswith("**", i) else "*"
        before = text[i - 1 : i]
        opened = i + len(mark)
        close = text.find(mark, opened)
        content = text[opened:close]
        after = text[close + len(mark) : close + len(mark) + 1]
        if (
            close < 0
            or (before and not before.isspace())
            or not content
            or not content[0].isalnum()
            or not (
                content[-1].isalnum()
                or (content[-1] in '.:;,)"' and (not after or after.isspace()))
            )
            or content[-2:-1] == "\\"
            or any(ch in content for ch in "*\n[<`&")
            or (after and not (after.isspace() or after in ",.;:)"))
        ):
            raise _Unknown
        tag = "strong" if mark == "**" else "em"
        _flush(buffer, out)
        out.append(f"<{tag}>")
        self._inline(content, out, nested=True)
        out.append(f"</{tag}>")
        return close + len(mark)


def _as_written(url: str) -> str:
    return url


def _flush(buffer: list[str], out: list[str]) -> None:
    if buffer:
        out.append(_escape_cdata("".join(buffer)))
        buffer.clear()


def _blocks(source: str) -> list[tuple[str, str]]:
    """The page's blocks, in order, each with its kind; raises _Unknown for any other."""
    blocks: list[tuple[str, str]] = []
    depth = 0
    lines = source.split("\n")
    n = 0
    while n < len(lines):
        if not lines[n].strip(" "):
            n += 1
            continue
        start = n
        while n < len(lines) and lines[n].strip(" "):
            n += 1
        block = "\n".join(lines[start:n])
        first = lines[start]
        if _PROSE.fullmatch(block):
            if depth:
                raise _Unknown
            blocks.append(("raw", block))
        elif first.startswith("<div"):
            if not _WRAPPER.fullmatch(block) or depth:
                raise _Unknown
            depth += 1
            blocks.append(("open", block))
        elif block == "</div>":
            if not depth or blocks[-1][0] == "open":
                raise _Unknown
            depth -= 1
            blocks.append(("close", block))
        elif first.startswith("#"):
            if n - start != 1:
                raise _Unknown
            blocks.append(("heading", block))
        elif first.startswith("|"):
            blocks.append(("table", block))
        elif first.startswith("- "):
            if blocks and blocks[-1][0] == "list":
                raise _Unknown  # items parted by a blank line: one loose list
            blocks.append(("list", block))
        elif first.startswith("<"):
            if not _inline_tag(first):
                raise _Unknown
            blocks.append(("paragraph", block))
        elif first.startswith(" ") or _BLOCK_START.match(first):
            raise _Unknown
        else:
            blocks.append(("paragraph", block))
    if depth:
        raise _Unknown
    return blocks


_TAG_NAME = re.compile(r"</?([a-z]+)[\s>]")
_INLINE_TAGS = frozenset(
    {"span", "code", "a", "strong", "em", "sub", "sup", "var", "abbr", "small"}
)


def _inline_tag(text: str) -> bool:
    """True when `text` starts with a tag of an inline element (no autolink, no block)."""
    found = _TAG_NAME.match(text)
    return found is not None and found.group(1) in _INLINE_TAGS
