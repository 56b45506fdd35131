"""Relative links between pages: the same answers as `posixpath.relpath`."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.render import links

_PART = st.sampled_from(["projects", "MN003.md", "a", "b", "index.md", ".", "..", "x y"])
_PATH = st.lists(_PART, min_size=0, max_size=5).map("/".join)


@given(target=_PATH.filter(bool), base=_PATH)
def test_relative_is_relpath(target: str, base: str) -> None:
    assert links.relative(target, base) == posixpath.relpath(target, base or ".")


def test_links_between_pages() -> None:
    here = links.Links("projects/MN003.md")
    assert here.project("MN004") == "MN004.md"
    assert here.methodology("MN_AM003") == "../methodologies/MN_AM003.md"
    assert here.item("MN/2016-09-29-4th-jc#3") == "../decisions/MN/2016-09-29-4th-jc.md#item-3"
    assert links.Links("index.md").country("MN") == "countries/MN.md"
    assert links.Links("countries/MN.md").to("countries/MN.md") == "MN.md"
    assert links.Links("a/b/c.md").to("a/d.md") == "../d.md"
