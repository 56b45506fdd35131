"""Relative links between pages: the addresses mkdocs would write for its own pages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url

from generator.render import links

_PART = st.sampled_from(["projects", "MN003", "a", "b", "x.json", ".", "..", "x y", ""])
# addresses relative to the site's root, as pages have them (never with a leading slash)
_URL = st.lists(_PART, min_size=0, max_size=5).map("/".join).filter(lambda u: u[:1] != "/")


@given(url=_URL, base=_URL)
def test_relative_urls_are_mkdocs_own(url: str, base: str) -> None:
    assert links.relative_url(url, base) == get_relative_url(url, base)


def test_links_between_pages() -> None:
    here = links.Links("projects/MN003.md")
    assert here.project("MN004") == "../MN004/"
    assert here.methodology("MN_AM003") == "../../methodologies/MN_AM003/"
    assert here.item("MN/2016-09-29-4th-jc#3") == "../../decisions/MN/2016-09-29-4th-jc/#item-3"
    assert here.to("downloads/projects.csv") == "../../downloads/projects.csv"
    assert here.to("projects/index.md") == "../"
    assert here.static("api/v1/x.json") == "../../api/v1/x.json"
    assert links.Links("index.md").country("MN") == "countries/MN/"
    assert links.Links("index.md").static("") == ""
    assert links.Links("countries/MN.md").to("countries/MN.md") == "./"
    assert links.Links("projects/index.md").to("index.md") == ".."  # as mkdocs writes it
