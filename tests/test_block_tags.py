"""The block-level set gives the HTML Python-Markdown gives, and follows every change to the
list of block-level names."""

from __future__ import annotations

from types import SimpleNamespace

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.block_tags import BlockTags, BlockTagSet, block_level_in
from tests.test_inline_skip import _PIECES, site_extensions


def converter(fast: bool) -> markdown.Markdown:
    names, settings = site_extensions()
    return markdown.Markdown(
        extensions=[*names, *([BlockTagSet()] if fast else [])], extension_configs=settings
    )


def test_the_site_converter_takes_the_set():
    md = converter(True)
    assert isinstance(md.block_level_elements, BlockTags)
    assert md.is_block_level("DIV") and md.is_block_level("hr/") and not md.is_block_level("a")
    assert not md.is_block_level(None)
    assert set(md.block_level_elements) == set(converter(False).block_level_elements)


def test_every_page_of_three_registries_converts_the_same(tmp_path):
    from tests.render.test_pages import every_source

    pages = {}
    for name, source in every_source(tmp_path).items():
        pages.update({f"{name}:{path}": text for path, text in source.pages.items()})
    assert len(pages) > 400
    fast, stock = converter(True), converter(False)
    differ = [
        p for p, text in pages.items() if fast.reset().convert(text) != stock.reset().convert(text)
    ]
    assert not differ


@given(
    st.lists(
        _PIECES | st.sampled_from(["<div>", "</div>", "<p>", "<span>", "<section markdown>"]),
        max_size=40,
    ).map("".join)
)
def test_any_text_converts_the_same(text):
    assert converter(True).convert(text) == converter(False).convert(text)


_CHANGES = [
    lambda tags: tags.append("x-card"),
    lambda tags: tags.extend(["x-card", "x-list"]),
    lambda tags: tags.insert(0, "x-card"),
    lambda tags: tags.remove("div"),
    lambda tags: tags.pop(),
    lambda tags: tags.pop(0),
    lambda tags: tags.clear(),
    lambda tags: tags.__setitem__(0, "x-card"),
    lambda tags: tags.__setitem__(slice(0, 2), ["x-card"]),
    lambda tags: tags.__delitem__(0),
    lambda tags: tags.__delitem__(slice(0, 3)),
    lambda tags: tags.__iadd__(["x-card"]),
    lambda tags: tags.__imul__(0),
    lambda tags: tags.__imul__(2),
    lambda tags: tags.sort(),
    lambda tags: tags.reverse(),
]


@pytest.mark.parametrize("change", _CHANGES)
def test_the_set_follows_every_change_of_the_list(change):
    tags = BlockTags(["div", "p", "table", "hr"])
    plain = ["div", "p", "table", "hr"]
    change(tags)
    change(plain)
    assert list(tags) == plain
    assert tags.names == frozenset(plain)
    is_block_level = block_level_in(SimpleNamespace(block_level_elements=tags))
    for tag in ["div", "p", "table", "hr", "x-card", "x-list", "span"]:
        assert is_block_level(tag) == (tag in plain)


def test_an_extension_adding_a_block_tag_is_honoured():
    """md_in_html-style extensions append to the list after the set is made."""
    md = converter(True)
    md.block_level_elements.append("x-card")
    assert md.is_block_level("X-CARD")


def test_a_replaced_lookup_is_left_alone():
    md = markdown.Markdown()

    def own(tag):
        return False

    md.is_block_level = own
    BlockTagSet().extendMarkdown(md)
    assert md.is_block_level is own and type(md.block_level_elements) is list


def test_every_list_method_that_changes_items_is_tracked():
    from generator.block_tags import _CHANGES

    keeps_items = {"copy", "count", "index", "sort", "reverse"}  # sort, reverse: same names
    public = {name for name in dir(list) if not name.startswith("_")}
    assert public - keeps_items <= set(_CHANGES)
    assert {"__setitem__", "__delitem__", "__iadd__", "__imul__"} <= set(_CHANGES)


def test_a_change_that_fails_halfway_is_followed():
    def tags_then_a_failure():
        yield "x-card"
        raise RuntimeError("an extension's generator failed")

    tags = BlockTags(["div"])
    with pytest.raises(RuntimeError):
        tags.extend(tags_then_a_failure())
    assert "x-card" in list(tags) and "x-card" in tags.names


def test_a_list_put_in_place_of_the_tags_is_read_as_stock_reads_it():
    text = "<x-card>\n*a*\n</x-card>\n"
    fast, stock = converter(True), converter(False)
    for md in (fast, stock):
        md.block_level_elements = [*md.block_level_elements, "x-card"]
    assert fast.convert(text) == stock.convert(text)
    assert fast.is_block_level("x-card")
