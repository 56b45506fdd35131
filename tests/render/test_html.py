"""Record text on the HTML pages (generator/render/html.py and the templates' environment)."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from generator.render import html
from generator.render.page import Headings
from generator.render.templating import environment


class _Cells(HTMLParser):
    """The text of each `<td>`, and the tags found inside any of them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.inner: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._in = True
            self.cells.append("")
        elif self._in:
            self.inner.append(tag)

    def handle_endtag(self, tag):
        if tag == "td":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def cells_of(page: str) -> _Cells:
    parsed = _Cells()
    parsed.feed(page)
    parsed.close()
    return parsed


def render(source: str, **context: object) -> str:
    return environment().from_string(source).render(**context)


def test_record_text_is_escaped_and_bidi_controls_are_shown():
    page = render("<td>{{ v }}</td>", v='<script>alert("x")</script> a\u202eb')
    assert "<script>" not in page
    assert cells_of(page).cells == ['<script>alert("x")</script> a[U+202E]b']


def test_a_missing_value_prints_nothing_and_an_empty_cell_shows_not_recorded():
    assert render("<p>{{ v }}</p>", v=None) == "<p></p>"
    macros = ""
    assert cells_of(render(macros + "{{ v | td }}", v=None)).cells == ["—"]
    assert cells_of(render(macros + "{{ v | td }}", v="  ")).cells == ["—"]
    assert cells_of(render(macros + "{{ v | td }}", v=0)).cells == ["0"]


RECORD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'`|*_[]()")
)


@given(RECORD_TEXT)
def test_any_record_text_lands_in_a_cell_as_text(value):
    """Whatever a record says, the page shows it as text: one cell, no element made, the same
    characters (bidirectional controls shown by their code points)."""
    macros = ""
    parsed = cells_of(render(macros + "<table><tr>{{ v | td }}</tr></table>", v=value))
    assert parsed.inner == []
    expected = html.visible(value)
    assert parsed.cells == [expected if expected.strip() else "—"]


def test_a_message_shows_its_backticked_names_as_code_and_escapes_the_rest():
    shown = html.message("use `notified_on` and <b>bold</b>")
    assert shown == "use <code>notified_on</code> and &lt;b&gt;bold&lt;/b&gt;"
    assert html.message("`<script>`") == "<code>&lt;script&gt;</code>"
    assert html.message("an odd ` backtick") == "an odd ` backtick"
    assert html.message(None) == ""


def test_links_a_record_gives_keep_only_safe_schemes():
    assert html.href("https://www.jcm.go.jp/a b") == "https://www.jcm.go.jp/a%20b"
    assert html.href("javascript:alert(1)") == "#"
    assert html.href(" JavaScript:alert(1)") == "#"
    assert html.href("data:text/html,x") == "#"
    assert html.href("java\tscript:alert(1)") == "#"  # browsers drop tabs and newlines
    assert html.href("\x01javascript:alert(1)") == "#"
    assert html.href("java\nscript:alert(1)") == "#"
    assert html.href("mailto:a@b.org") == "mailto:a@b.org"
    assert html.href("docs/a.pdf") == "docs/a.pdf"
    page = render('<a href="{{ u | href }}">x</a>', u='http://e.org/"><script>')
    assert "<script>" not in page and "&#34;&gt;" in page


def test_equations_are_typeset_with_one_subscript_per_symbol():
    assert html.equation("sum_i(EG[i] * EF_RE[i])") == (
        "Σ<sub>i</sub>(EG<sub>i</sub> × EF<sub>RE,i</sub>)"
    )
    assert html.equation("RE_p - PE_p") == "RE<sub>p</sub> − PE<sub>p</sub>"
    assert html.equation("max(0, a < b)") == "max(0, a &lt; b)"
    assert html.equation("<script>") == "&lt;script&gt;"
    assert html.symbol("EG_{i,p}") == "EG<sub>i,p</sub>"
    assert html.symbol("<b>_x") == "&lt;b&gt;_x"


def test_headings_carry_anchors_and_permanent_links_and_nest_into_a_table_of_contents():
    h = Headings()
    title = h(1, "MN003: Solar <PV> & more")
    assert title == (
        '<h1 id="mn003-solar-pv-more">MN003: Solar &lt;PV&gt; &amp; more<a class="headerlink" '
        'href="#mn003-solar-pv-more" title="Permanent link">&para;</a></h1>'
    )
    h(2, "Figures", "figures")
    h(3, "2019", "period-a")
    h(2, "Findings", "findings")
    h(2, "Findings")  # the same slug again: made unique as the toc extension makes it
    (top,) = h.toc()
    assert [c.id for c in top.children] == ["figures", "findings", "findings_1"]
    assert [c.id for c in top.children[0].children] == ["period-a"]
    assert top.title == "MN003: Solar &lt;PV&gt; &amp; more"
