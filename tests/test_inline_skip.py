"""The inline skip gives the HTML Python-Markdown gives, on the registry's pages and on text
made to trip it, and turns itself off for patterns it does not know."""

from __future__ import annotations

from functools import cache

import markdown
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from generator.inline_skip import InlineSkip, SkippingInlineProcessor, may_match
from tests.conftest import ROOT


def site_extensions() -> tuple[list[str], dict]:
    """The Markdown extensions and their settings, as the site's mkdocs.yml names them."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            ((name, options),) = entry.items()
            names.append(name)
            settings[name] = options or {}
        else:
            names.append(entry)
    return names, settings


@cache
def converter(skip: bool, extra: tuple = ()) -> markdown.Markdown:
    names, settings = site_extensions()
    extensions = [*names, *extra, *([InlineSkip()] if skip else [])]
    return markdown.Markdown(extensions=extensions, extension_configs=settings)


def convert(text: str, skip: bool, extra: tuple = ()) -> str:
    return converter(skip, extra).reset().convert(text)


def test_the_site_markdown_takes_the_skip():
    """With the site's own extensions every pattern is known: the skip is on (if a new
    Python-Markdown changed a pattern, this says the speed-up is gone)."""
    names, settings = site_extensions()
    md = markdown.Markdown(extensions=[*names, InlineSkip()], extension_configs=settings)
    assert isinstance(md.treeprocessors["inline"], SkippingInlineProcessor)
    check = may_match(md.inlinePatterns)
    assert check is not None
    for text in ["`x`", "a\\*", "[a](b)", "![i](j)", "<b>", "&amp;", "*e*", "_e_", "a  \nb"]:
        assert check.search(text), text
    assert check.search("Synthetic Host Company 49, 2019-01-21: 4,811 tCO2e (positive)") is None


def test_text_goes_only_through_the_patterns_its_characters_call(monkeypatch):
    tried = []
    original = InlineProcessor._InlineProcessor__applyPattern

    def counting(self, pattern, data, patternIndex, startIndex=0):
        tried.append(type(pattern).__name__)
        return original(self, pattern, data, patternIndex, startIndex)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", counting)
    assert convert("| A | B |\n|---|---|\n| 2019 | plain words |\n", skip=True)
    assert tried == []
    html = convert("| A | B |\n|---|---|\n| 2019 | [a](b.md) |\n", skip=True)
    assert '<a href="b.md">a</a>' in html
    assert tried == ["ReferenceInlineProcessor", "LinkInlineProcessor"]
    tried.clear()
    assert convert("| A | B |\n|---|---|\n| 2019 | [a](b.md) |\n", skip=False) == html
    assert len(tried) > 14  # stock: every pattern on the cell, then on the link's text


def test_every_page_of_three_registries_converts_the_same(tmp_path):
    from tests.render.test_pages import every_source

    pages = {
        f"content/{path.relative_to(ROOT / 'content').as_posix()}": path.read_text("utf-8")
        for path in sorted((ROOT / "content").rglob("*.md"))
    }
    for name, source in every_source(tmp_path).items():
        pages.update({f"{name}:{path}": text for path, text in source.pages.items()})
    assert len(pages) > 400
    differ = [path for path, text in pages.items() if convert(text, True) != convert(text, False)]
    assert not differ


_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "0",
        " ",
        "  ",
        "\n",
        "\n\n",
        "|",
        "-",
        ":",
        ".",
        "(",
        ")",
        "#",
        "{",
        "}",
        "`",
        "``",
        "\\",
        "[",
        "]",
        "!",
        "<",
        ">",
        "&",
        ";",
        "*",
        "**",
        "_",
        "__",
        "~",
        "=",
        "é",
        "—",
        "http://x.org",
        "a@b.c",
        "&amp;",
        "<b>",
        "</b>",
        "[t](u.md)",
        "{: #i }",
        "\n| A | B |\n|---|---|\n| ",
        " | ",
        "\n- ",
        "\n1. ",
        "\n    ",
        "\n> ",
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_converts_the_same(text):
    assert convert(text, skip=True) == convert(text, skip=False)


def test_an_unknown_pattern_turns_the_skip_off():
    text = "a ==marked== word and ~~gone~~"
    with_skip = convert(text, True, ("pymdownx.mark", "pymdownx.tilde"))
    assert "<mark>marked</mark>" in with_skip
    assert with_skip == convert(text, False, ("pymdownx.mark", "pymdownx.tilde"))
    md = markdown.Markdown(extensions=["pymdownx.mark", InlineSkip()])
    assert may_match(md.inlinePatterns) is None


def test_a_changed_pattern_turns_the_skip_off():
    md = markdown.Markdown(extensions=[InlineSkip()])
    assert may_match(md.inlinePatterns) is not None
    from markdown.inlinepatterns import LinkInlineProcessor

    md.inlinePatterns.register(LinkInlineProcessor(r"\(", md), "link", 160)
    assert may_match(md.inlinePatterns) is None


def test_patterns_changed_between_documents_are_seen():
    """A converter reused after reset() reads the patterns again: one replaced under a known
    name turns the skip off, a delimiter added is tried."""
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    fast, stock = (markdown.Markdown(extensions=[InlineSkip()]) if s else markdown.Markdown()
                   for s in (True, False))  # fmt: skip
    assert fast.convert("a &amp; b") == stock.convert("a &amp; b")
    for md in (fast, stock):
        md.reset()
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()=(.+?)=", "mark"), "entity", 80)
        md.delimiters.add("~", "del")
    text = "=hi= and ~x~ and *e*"
    assert "<mark>hi</mark>" in stock.convert(text)
    stock.reset()
    assert fast.convert(text) == stock.convert(text)


def test_another_inline_processor_is_left_in_place():
    from markdown.extensions import Extension

    class Own(InlineProcessor):
        pass

    class Replaces(Extension):
        def extendMarkdown(self, md):
            md.treeprocessors.register(Own(md), "inline", 20)

    md = markdown.Markdown(extensions=[Replaces(), InlineSkip()])
    assert type(md.treeprocessors["inline"]) is Own
    md = markdown.Markdown(extensions=[InlineSkip()])
    assert type(md.treeprocessors["inline"]) is SkippingInlineProcessor


def test_the_page_cache_adds_the_skip_once_and_keeps_its_salt(tmp_path):
    """The engine's settings name the cache's entries: adding the skip, once or again, leaves
    the salt as a configuration without it gives (and the same in every process)."""
    from mkdocs.config import load_config

    from generator.block_tags import BlockTagSet
    from generator.page_cache import PageCache

    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path))
    first = PageCache(None)
    first.on_config(config)
    again = PageCache(None)
    again.on_config(config)
    assert sum(isinstance(e, InlineSkip) for e in config["markdown_extensions"]) == 1
    assert sum(isinstance(e, BlockTagSet) for e in config["markdown_extensions"]) == 1
    assert first._salt == again._salt
    assert repr(InlineSkip()) == "InlineSkip()"
    assert repr(BlockTagSet()) == "BlockTagSet()"
