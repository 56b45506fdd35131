"""Every internal link of a built site resolves to a file, and every anchor to an element."""

from __future__ import annotations

from generator.publish.linkcheck import (
    Links,
    check,
    ids_of,
    json_links,
    links_of,
    resolve,
    scan,
)


def test_links_resolve_as_a_browser_follows_them():
    page = "projects/MN003/index.html"
    assert resolve(page, "../../countries/MN/") == ("countries/MN/index.html", "")
    assert resolve(page, "../../api/v1/x.json") == ("api/v1/x.json", "")
    assert resolve(page, "#figures") == (page, "figures")
    assert resolve(page, "?code=X#findings") == (page, "findings")
    assert resolve(page, "../..") == ("index.html", "")
    assert resolve(page, "../../a%20b.pdf") == ("a b.pdf", "")
    assert resolve(page, "../../../../outside") == ("..", "")
    assert resolve("404.html", "/jcm/assets/x.css", "/jcm/") == ("assets/x.css", "")
    assert resolve("404.html", "/other/x.css", "/jcm/") == ("..", "")
    for external in ("https://www.jcm.go.jp/", "mailto:a@b.org", "//cdn.example.org/x", ""):
        assert resolve(page, external) is None


def test_broken_links_and_anchors_are_found_and_good_ones_pass():
    pages = {
        "index.html": '<a href="about/">a</a> <a href="about/#team">t</a> <a href="#top">x</a>'
        '<h1 id="top">T</h1> <a href="nope/">n</a> <a href="about/#gone">g</a>'
        " <img src=\"logo.png\"> <a href='about'>folder</a>",
        "about/index.html": '<h2 id="team">Team</h2><a name="old"></a><a href="../#top">up</a>'
        '<a href="../index.html#old">no</a>',
    }
    broken = check(pages, [*pages, "logo.png"])
    assert [(b.page, b.link, b.why) for b in broken] == [
        ("about/index.html", "../index.html#old", "index.html has no anchor #old"),
        ("index.html", "about/#gone", "about/index.html has no anchor #gone"),
        ("index.html", "nope/", "no such file in the site"),
    ]


def test_links_and_anchors_are_read_as_a_browser_reads_attributes():
    page = (
        '<meta name="description" content="x">'
        """<a href="https://e.org" title="a id='y' href='../z/'">x</a>"""
        "<!-- <a href='gone/'> --><script>var a = '<a href=\"nope/\">';</script>"
        '<a name="old"></a><h2 id="ok">T</h2><img src=logo.png>'
    )
    assert links_of(page) == ["https://e.org", "logo.png"]
    assert ids_of(page) == {"old", "ok"}


def test_the_rows_of_a_table_the_site_draws_are_checked_from_the_root():
    rows = b'{"rows": [{"href": "projects/X1/"}, {"href": "projects/GONE/"}, {"id": 3}]}'
    assert json_links(rows) == ["projects/X1/", "projects/GONE/"]
    assert json_links(b"not json") == []
    links = Links()
    links.add("api/v1/projects.json", json_links(rows), at="index.html")
    broken = links.broken({"projects/X1/index.html", "api/v1/projects.json"}, {})
    assert [(b.page, b.link) for b in broken] == [("api/v1/projects.json", "projects/GONE/")]


def test_attribute_names_are_read_in_any_case():
    assert scan('<A HREF="x/">x</A><H2 ID="t">T</H2>') == (["x/"], {"t"})
