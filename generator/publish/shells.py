"""The theme's page shell for generated pages: built once per place by mkdocs, filled per page.

mkdocs builds a *probe* page for every place a generated page can take: a page of the site's
navigation at its own path (so that its navigation shows it active), and one page per section,
folder depth and set of hidden parts for the others (`projects/jcm-probe/`: record pages are in
no navigation). A probe's title, description, address, headings and edit address are markers,
and `site_overrides/main.html` writes markers in place of its article; everything else is the
theme's own page for that place. The probe is split once at its markers (`Shell`), and each
generated page is the pieces joined around its own values (`Shell.fill`): never a
search-and-replace on a filled page, since record text may contain a marker.

**Why:** Material's page template costs as much as the rest of a build together; rendered once
per place instead of once per page, the theme still draws every page.

What the theme draws from a page that is not one of the markers would be the probe's, so a
probe whose pieces still name it (`jcm-probe`) is refused: a theme feature that prints
something of each page the generator does not fill (a feedback form, source dates) cannot pass
unnoticed. The table of contents is the one piece the generator writes in the theme's markup
(`toc_html`); a test builds the same article as an ordinary page and compares the two pages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from generator.render.html import visible
from generator.render.page import Heading, Page, url_of
from generator.render.views import SiteConfig

MARK = "jcm-probe"
TITLE = "jcm-probe-title"
DESCRIPTION = "jcm-probe-description"
SKIP = "#jcm-probe-h1"
TOC_ANCHOR = "#jcm-probe-toc"
CONTENT = "<!--jcm-probe-content-->"
ACTIONS = ("<!--jcm-probe-actions-->", "<!--/jcm-probe-actions-->")
EDIT = "https://jcm-probe.invalid/blob/jcm-probe-edit"
VIEW = "https://jcm-probe.invalid/raw/jcm-probe-edit"


class ShellError(RuntimeError):
    """A probe the generator cannot split: the theme changed, or shows something of each
    page the generator does not fill."""


@dataclass(frozen=True)
class Place:
    """Where a generated page sits, as far as the theme's shell can tell: its probe's path,
    the parts it hides, and whether it has a table of contents (the theme draws the active
    navigation entry otherwise without one)."""

    probe: str
    hide: tuple[str, ...]
    toc: bool
    own: bool
    """The probe is the page's own path (a page of the navigation)."""


def place_of(page: Page, in_nav: bool) -> Place:
    """The place of a rendered page."""
    return place_for(page.path, page.hide, bool(page.toc and page.toc[0].children), in_nav)


def place_for(path: str, hide: tuple[str, ...], has_toc: bool, in_nav: bool) -> Place:
    """The place of the page at `path` that hides `hide` and has a table of contents or not:
    its own path for a page of the navigation, else its section's probe at its depth."""
    if in_nav:
        return Place(path, hide, has_toc, own=True)
    folders = url_of(path).rstrip("/").split("/")
    section = folders[0] if len(folders) > 1 else ""
    depth = len(folders)
    hidden = "-".join(hide)
    name = MARK + (f"-{hidden}" if hidden else "") + ("" if has_toc else "-flat")
    parts = [section] if section else []
    parts += [MARK] * (depth - len(parts) - 1) + [name]
    return Place("/".join(parts) + ".md", hide, has_toc, own=False)


def probe_markdown(place: Place) -> str:
    """The probe page's Markdown: markers for what each page has of its own."""
    meta = [f"title: {TITLE}", f"description: {DESCRIPTION}", "jcm_probe: true"]
    if place.hide:
        meta.append("hide: [" + ", ".join(place.hide) + "]")
    body = "# jcm-probe-h1\n" + ("\n## jcm-probe-toc\n" if place.toc else "")
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body


@dataclass(frozen=True)
class TocMarkup:
    """The theme's table-of-contents element as the probe shows it: its opening (up to its
    list) and its closing; the entries between are written by `toc_html`."""

    empty: str
    head: str
    tail: str


@dataclass(frozen=True)
class Shell:
    pieces: tuple[str, ...]
    slots: tuple[str, ...]
    """`pieces[i]` is followed by the value of `slots[i]`; the last piece ends the page."""
    actions: tuple[tuple[str, ...], tuple[str, ...]] | None
    toc: TocMarkup | None
    digest: str = ""
    """The probe page's SHA-256: a page filled into a shell of another digest is another page."""

    def fill(self, values: dict[str, str]) -> str:
        return _joined(self.pieces, self.slots, values)


def split(html: str, place: Place, url: str) -> Shell:
    """The probe's page at `url` → its pieces and slots. The probe's own address is a slot
    when the probe stands for other pages (the canonical address shows it)."""
    toc = _toc_markup(html) if place.toc else None
    markers = [TITLE, DESCRIPTION, SKIP, CONTENT, ACTIONS[0]]
    if not place.own:
        markers.append(url)
    pattern = re.compile(
        "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
        + (r"|<nav class=\"md-nav md-nav--secondary\"" if toc else "")
    )
    pieces: list[str] = []
    slots: list[str] = []
    actions = None
    at = 0
    while (match := pattern.search(html, at)) is not None:
        pieces.append(html[at : match.start()])
        found = match.group(0)
        if found.startswith("<nav"):
            end = _toc_end(html, match.start())
            slots.append("toc")
            at = end
            continue
        if found == ACTIONS[0]:
            end = html.find(ACTIONS[1], match.end())
            if end < 0:
                raise ShellError("the probe's edit buttons have no end marker")
            actions = _actions(html[match.end() : end])
            slots.append("actions")
            at = end + len(ACTIONS[1])
            continue
        slots.append(
            {TITLE: "title", DESCRIPTION: "description", SKIP: "skip", CONTENT: "content"}.get(
                found, "url"
            )
        )
        at = match.end()
    pieces.append(html[at:])
    for piece in pieces:
        if MARK in piece:
            at = piece.index(MARK)
            raise ShellError(
                "the theme shows something of each page that generated pages cannot fill: "
                f"…{piece[max(0, at - 200) : at + 60]}… (turn that theme feature off, or "
                "teach generator/publish/shells.py to fill it)"
            )
    if "content" not in slots:
        raise ShellError("the probe has no place for the article (site_overrides/main.html)")
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return Shell(tuple(pieces), tuple(slots), actions, toc, digest)


def _toc_markup(html: str) -> TocMarkup:
    """The table of contents as the probe shows it, around its one marker entry."""
    at = html.find(f'href="{TOC_ANCHOR}"')
    if at < 0:
        raise ShellError("the theme's table of contents was not found in the probe")
    start = html.rfind('<nav class="md-nav md-nav--secondary"', 0, at)
    end = _toc_end(html, start)
    element = html[start:end]
    first = element.find("<li")
    last = element.rfind("</li>") + len("</li>")
    if start < 0 or first < 0 or element.count("<li") != 1:
        raise ShellError("the theme's table of contents is not the one the generator knows")
    opening = element[: element.index(">") + 1]
    return TocMarkup(empty=opening + "</nav>", head=element[:first], tail=element[last:])


def _toc_end(html: str, start: int) -> int:
    """The end of the table-of-contents element that starts at `start` (its one entry
    holds no other element of its kind)."""
    end = html.find("</nav>", start)
    if end < 0 or html.find("<nav", start + 4, end) >= 0:
        raise ShellError("the theme's table of contents is not the one the generator knows")
    return end + len("</nav>")


def _actions(region: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The edit buttons around the probe's edit and raw addresses."""
    pieces: list[str] = []
    slots: list[str] = []
    at = 0
    for match in re.finditer(re.escape(EDIT) + "|" + re.escape(VIEW), region):
        pieces.append(region[at : match.start()])
        slots.append("edit" if match.group(0) == EDIT else "view")
        at = match.end()
    pieces.append(region[at:])
    return tuple(pieces), tuple(slots)


def toc_html(markup: TocMarkup, toc: tuple[Heading, ...]) -> str:
    """The table of contents of a page, in the theme's markup (Material's `partials/toc.html`
    and `toc-item.html`): the entries under the page's title."""
    entries = toc[0].children if toc and toc[0].level == 1 else toc
    if not entries:
        return markup.empty
    return markup.head + "".join(_item(h) for h in entries) + markup.tail


def _item(heading: Heading) -> str:
    children = ""
    if heading.children:
        label = escape(_text(heading.title))
        children = (
            f'\n  <nav class="md-nav" aria-label="{label}">\n    <ul class="md-nav__list">\n'
            + "".join(_item(h) for h in heading.children)
            + "\n    </ul>\n  </nav>\n"
        )
    return (
        f'<li class="md-nav__item">\n  <a href="#{heading.id}" class="md-nav__link">\n'
        f'    <span class="md-ellipsis">\n      {heading.title}\n    </span>\n  </a>\n'
        f"{children}</li>\n"
    )


def _text(title: str) -> str:
    """A title's text, as jinja's `striptags` gives it (the entities read as characters)."""
    return Markup(title).striptags()


def fill(shell: Shell, page: Page, site: SiteConfig) -> str:
    """The page in its shell."""
    if not page.toc or page.toc[0].level != 1:
        raise ShellError(f"{page.path}: a generated page starts with its title (an h1)")
    values = {
        "title": escape(visible(page.title), quote=False),
        "description": escape(visible(page.description)),
        "url": page.url,
        "skip": "#" + page.toc[0].id,
        "content": page.body,
        "toc": toc_html(shell.toc, page.toc) if shell.toc else "",
        "actions": _filled_actions(shell, page, site),
    }
    return shell.fill(values)


def _filled_actions(shell: Shell, page: Page, site: SiteConfig) -> str:
    if shell.actions is None or not page.edit or not site.repository:
        return ""
    pieces, slots = shell.actions
    values = {
        "edit": escape(site.file_url(page.edit)),
        "view": escape(site.file_url(page.edit, "raw")),
    }
    return _joined(pieces, slots, values)


def _joined(pieces: tuple[str, ...], slots: tuple[str, ...], values: dict[str, str]) -> str:
    """The pieces with each slot's value between them."""
    out = []
    for piece, slot in zip(pieces, slots, strict=False):
        out.append(piece)
        out.append(values[slot])
    out.append(pieces[-1])
    return "".join(out)
