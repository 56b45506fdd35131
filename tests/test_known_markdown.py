"""The known converter writes, for the pages it follows, what Python-Markdown writes: the same
HTML, table of contents, anchors and links to anchors, on whole registries and on generated
record text; and it follows the generator's record pages (else it would save nothing)."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor

from generator import known_markdown
from generator.known_markdown import EXTENSIONS, SETTINGS, convert, follows
from generator.page_cache import _Links, _tokens, convert_page
from generator.render import markdown as md_text
from generator.synth import synthesize
from tests.conftest import FIXTURES, ROOT


def _stage(root: Path, docs: Path) -> Path:
    from generator.history import read_history
    from generator.pipeline import validate_root
    from generator.publish import site_config, site_project, stage_docs
    from generator.render.site import render_site

    validation = validate_root(root, None)
    rendered = render_site(validation, read_history(root), site_config(root))
    return stage_docs(site_project(root), rendered.pages, rendered.files, docs)


def _pages(docs: Path) -> tuple[list[Page], object, object]:
    config = load_config(
        str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(docs.parent / "site")
    )
    files = get_files(config)
    get_navigation(files, config)
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    for page in pages:
        page.read_source(config)
    return pages, config, files


def _seen(page: Page) -> tuple:
    links = page.links_to_anchors or {}
    return (
        page.content,
        _tokens(list(page.toc)),
        page._title_from_render,
        page.present_anchor_ids,
        {target.src_uri: dict(anchors) for target, anchors in links.items()},
    )


@pytest.mark.parametrize("registry", ["example", "bundled", "synthetic"])
def test_every_page_it_follows_is_the_page_python_markdown_writes(tmp_path, registry):
    if registry == "example":
        root = FIXTURES / "example"
    elif registry == "bundled":
        root = ROOT
    else:
        root = tmp_path / "registry"
        synthesize(root, 60, seed=11)
    docs = _stage(root, tmp_path / "docs")
    pages, config, files = _pages(docs)
    assert follows(config["markdown_extensions"], config["mdx_configs"]), (
        "the site's mkdocs.yml converts with the extensions the known converter follows"
    )
    followed = []
    for page in pages:
        relative = _RelativePathTreeprocessor(page.file, files, config)
        known = convert(page.markdown, relative.path_to_url)
        if known is None:
            continue
        followed.append(page.file.src_uri)
        Page.render(page, config, files)
        expected = _seen(page)
        convert_page(page, config, files, known=True)
        assert _seen(page) == expected, page.file.src_uri
    record_pages = [
        p.file.src_uri
        for p in pages
        if re.fullmatch(r"(projects|decisions/[^/]+)/[^/]+\.md", p.file.src_uri)
        and not p.file.src_uri.endswith("index.md")
    ]
    left = sorted(set(record_pages) - set(followed))
    if registry == "bundled":  # a few real records carry a warning box or rarer emphasis
        assert len(left) <= len(record_pages) // 20, left
    else:
        assert record_pages and not left, "it follows every project and decision page"


def test_a_page_whose_link_mkdocs_warns_about_is_left_to_python_markdown(tmp_path, caplog):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    (docs / "a.md").write_text("## Part\n\nSee [nowhere](missing.md).\n")
    pages, config, files = _pages(docs)
    page = next(p for p in pages if p.file.src_uri == "a.md")
    relative = _RelativePathTreeprocessor(page.file, files, config)
    with caplog.at_level(logging.WARNING):
        assert convert(page.markdown, relative.path_to_url) is not None  # alone, it follows
        caplog.clear()
        convert_page(page, config, files, known=True)
    assert [r.getMessage() for r in caplog.records if "missing.md" in r.getMessage()], (
        "the warning is logged once, by Python-Markdown's conversion"
    )
    assert len([r for r in caplog.records if "missing.md" in r.getMessage()]) == 1


def test_it_follows_only_the_extensions_it_knows():
    assert follows(list(EXTENSIONS), SETTINGS)
    assert not follows([*EXTENSIONS, "footnotes"], SETTINGS)
    assert not follows(list(EXTENSIONS), {"toc": {"permalink": "#", "marker": ""}})
    assert not follows(list(reversed(EXTENSIONS)), SETTINGS)


_REFERENCE = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=SETTINGS)


def _python_markdown(source: str) -> tuple[str, list, set[str]]:
    _REFERENCE.reset()
    html = _REFERENCE.convert(source)
    anchors = set(re.findall(r' id="([^"]*)"', html))
    return html, _REFERENCE.toc_tokens, anchors


def _same_as_python_markdown(source: str) -> bool:
    """True when the known converter follows `source`; then it must write what Python-Markdown
    writes (links are left as written: mkdocs rewrites them alike on both paths)."""
    known = convert(source, lambda url: url)
    if known is None:
        return False
    html, tokens, anchors = _python_markdown(source)
    assert known.content == html
    assert known.toc_tokens == tokens
    assert known.anchors == anchors
    return True


def _page(value: str, code: str, url: str) -> str:
    t = md_text.text(value)
    return (
        '<div class="jcm-record" markdown="1" data-pagefind-body>\n\n'
        f"## {t}\n\n"
        f"{md_text.code(value)} · {t}\n\n"
        "| Field | Value | Figure |\n|---|---|---:|\n"
        f"| {t} | [{t}]({md_text.href(url)}) | {t} |\n"
        f"| `{code}` | {md_text.message(value)} | **{t or 'x'}** |\n\n"
        "</div>\n\n"
        f"### {t} {{ #part }}\n\n"
        f"{t}\nand {t}\n{{: #also }}\n\n"
        f"- **SYN** — [{t}](https://example.org/{code})\n"
        f"    - {t}\n"
        f"- {t}\n"
    )


RECORD_TEXT = st.lists(
    st.sampled_from(
        [
            *"abcXYZ019 _*`#|[](){}<>&;!\\~-+.:=\"'/@\n",
            *("é", "ß", "東", "\u202e", "&amp;", "&#35;", "<span>", "</span>", "**", "__"),
            *("\xa0", "\xa0\n", "</div>", "<p>", " ID=", ":-|", "\n- ", "\n    - "),
        ]
    ),
    max_size=24,
).map("".join)


CODE = st.one_of(
    st.text(alphabet="ab1 .-_<&", max_size=6),
    st.sampled_from(["</div>", "<p>x", "a]b", "x ID=y", "[a](b)", "&\\#"]),
)


@given(value=RECORD_TEXT, code=CODE)
@example(value="A_B 1.5", code="ab")
@example(value="50 MW (net) ~ 2 units", code="a")
@example(value="x & y < z > w", code="&")
@example(value="- leading dash", code="a")
@example(value="1. numbered", code="a")
@example(value="> quoted", code="a")
@example(value="word_", code="a")
def test_record_text_on_a_page_is_written_as_python_markdown_writes_it(value, code):
    _same_as_python_markdown(_page(value, code, f"https://example.org/{value}"))


HOSTILE = "*_`#|[](){}<>&;!\\~-+.:=\"'/@ &amp; &#35; <span> ** __ [1]"


def _cells(value: str) -> str:
    """Record text where the templates mostly put it: table cells, link texts, after a label."""
    t = md_text.text(value)
    return (
        "| Field | Value |\n|---|---:|\n"
        f"| Note | {t} |\n"
        f"| Link | [{t or 'x'}](../x.md) and {md_text.code(value)} |\n\n"
        f"Remark: {t}\n\n"
        f"- **SYN** — {t}\n"
    )


@given(value=RECORD_TEXT)
@example(value=HOSTILE)
@example(value=HOSTILE + " \u202e")
def test_hostile_record_text_in_cells_is_followed_as_python_markdown_writes_it(value):
    followed = _same_as_python_markdown(_cells(value))
    if value == HOSTILE:
        assert followed, "escaped record text is text the converter follows"


@given(
    value=st.text(
        alphabet=st.sampled_from(list("abcXYZ0123456789 .,;:()-/'éß東")), min_size=1, max_size=30
    ).filter(lambda v: v[0].isalpha() and v[-1].isalpha())
)
def test_plain_record_text_is_followed(value):
    """Words, figures and punctuation between letters: the converter follows them."""
    assert _same_as_python_markdown(_page(value, "ab", "https://example.org/x")), value


@pytest.mark.parametrize(
    "source",
    [
        "Some *emphasis*here.",
        "In*word*emphasis.",
        "Some _emphasis_ here.",
        "```\ncode\n```",
        "<div>\nraw\n</div>",
        "!!! note\n    text",
        "A line  \nbreak",
        "[a][ref]\n\n[ref]: https://example.org",
        "![image](x.png)",
        "<https://example.org>",
        "Title\n=====",
        "1. first\n2. second",
        "> quoted",
        "    indented code",
        "| a | b |\n|---|---|",
        '<span id="x">anchor</span>',
        "# A title first",
        "Text <p>block</p>",
        "a\tb",
    ],
)
def test_what_it_does_not_follow_is_left_to_python_markdown(source):
    assert convert(source, lambda url: url) is None
    assert known_markdown.convert("## Heading\n\n" + "plain text", lambda url: url) is not None


def test_the_site_builds_the_same_with_and_without_the_known_converter(tmp_path, monkeypatch):
    from generator import page_cache
    from generator.pipeline import build

    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    known = build(root, tmp_path / "known").site
    monkeypatch.setattr(page_cache, "follows", lambda *args: False)
    plain = build(root, tmp_path / "plain").site
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(known) for p in known.rglob("*") if p.is_file())
    for name in files:
        assert (plain / name).read_bytes() == (known / name).read_bytes(), name


@pytest.mark.parametrize(
    "source",
    [
        "[`]`](u)",
        "[x `y]` z](u)",
        "- a\n\n- b",
        "- ---",
        "- a\n    - -- -",
        "- [a]: http://x",
        "- !!! note",
        "a | b\n:-|:-",
        "a\n\xa0\nb",
        "- a\n\xa0\n- b",
        "| a | b |\n|---|---|\n| c | d |\n\xa0",
        'Some <span ID="foo">x</span> text.',
        "a `<b ID=z>` b",
        'x <span id ="q">y</span>',
        '<div class="jcm-record" markdown="1">\n\na `</div>` b\n\n</div>\n\nafter',
        '<div class="x" markdown="1">\n\n</div>',
        '<div class="jcm-prose" markdown="0">\n<p>a</p></div> *b*\n</div>\n\n## H',
        '<div class="jcm-prose" markdown="0">\n<script>\n</div>\n\n## H\n\ntext',
        "a `<p>` b",
    ],
)
def test_inputs_a_review_found_are_left_to_python_markdown_or_written_alike(source):
    """Each of these was once written otherwise than Python-Markdown writes it (a loose list,
    a table without outer pipes, anchors in raw HTML in any case, a wrapper closed inside a
    code span, a narrative that is not one…)."""
    if convert(source, lambda url: url) is not None:
        assert _same_as_python_markdown(source)


def test_a_headings_table_of_contents_entry_keeps_its_links_as_written():
    """mkdocs rewrites links after the table of contents is made: its entry keeps them."""
    converted = convert("## See [a](b.md)", lambda url: "../" + url)
    assert converted is not None
    assert converted.toc_tokens[0]["html"] == 'See <a href="b.md">a</a>'
    assert '<a href="../b.md">a</a>' in converted.content


@pytest.mark.parametrize(
    "url",
    [
        "#part",
        "#",
        "b.md",
        "b.md#part",
        "../index.md",
        "../index.md#top",
        "sub/c.md",
        "./b.md",
        "missing.md",
        "missing.md#x",
        "/b.md",
        "b%2Emd",
        "b.md?x=1",
        "https://example.org/b.md",
        "mailto:someone@example.org",
        "b.md#a#b",
        "sub/",
        "c.json",
        "b.md ",
        " b.md",
    ],
)
def test_links_are_rewritten_as_mkdocs_rewrites_them(tmp_path, url):
    """The links the converter's rewriting answers itself, and those it hands to mkdocs, come
    out as mkdocs writes them, with the same files looked up and the same anchors noted."""
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "sub").mkdir()
    for name in ("index.md", "a/b.md", "a/here.md", "a/sub/c.md", "a/c.json", "a/sub/index.md"):
        (docs / name).write_text("# T\n")
    pages, config, files = _pages(docs)
    page = next(p for p in pages if p.file.src_uri == "a/here.md")

    def answer(rewrite_of) -> tuple:
        looked_up: list[str] = []
        original = files.get_file_from_path
        files.get_file_from_path = lambda path: looked_up.append(path) or original(path)
        try:
            rewriter = rewrite_of()
            written = (rewriter if callable(rewriter) else rewriter.path_to_url)(url)
        finally:
            del files.get_file_from_path
        relative = rewriter.relative if isinstance(rewriter, _Links) else rewriter
        anchors = {f.src_uri: a for f, a in relative.links_to_anchors.items()}
        return written, looked_up[:1], anchors

    expected = answer(lambda: _RelativePathTreeprocessor(page.file, files, config))
    assert answer(lambda: _Links(page, files, config)) == expected
