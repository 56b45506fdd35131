"""The site engine's Markdown → HTML conversion: on both cores, and kept between builds.

A mkdocs plugin.

Converting Markdown is two thirds of the engine's time on the registry's pages (4 ms for a
project page at 10,000 projects); after a merge almost every page's Markdown is what it was.
A page is converted again unless the cache holds a conversion of the same Markdown, at the same
address, by the same engine and extensions, whose every link resolved to the same files as now.

The site stays byte-identical (`tests/test_page_cache.py` builds with and without the cache and
compares every file), and strict checking keeps its teeth: a conversion that logged anything is
never kept, and a kept one is used only if every file it looked up still exists at the same
address; anchor links are checked after every page as always, from the kept lists.

The engine also works on two cores (mkdocs itself uses one). Once mkdocs knows every page, a
forked copy of the engine converts pages ahead of it (`_Claims`) and hands the conversions
over, which the engine restores exactly as it restores kept ones; whatever the copy cannot give
(a conversion that logged, a failure, a copy that died) the engine converts itself. Once every
page is converted, a second copy writes the generated files, then renders pages into the site
with mkdocs' own page builder from the last one down while the engine renders from the first
one up, until they meet (`_Meeting`); if that copy does not end quietly, the engine renders
every page it took again itself. Data files made by others (`generator.beside`) are known to
the engine by path only. The same tests hold the two-core
site to the one-core one, byte for byte. The generator's pages and files come in memory
(`add_generated`), not through the docs folder; other static files of a staged docs folder are
hard-linked into the site rather than copied. The generator's own pages are converted by
`generator.known_markdown` (the same HTML, about five times as fast; any other page by
Python-Markdown). Python-Markdown passes text no inline pattern can match by them
(`generator.inline_skip`) and looks block-level tags up in a set (`generator.block_tags`); the
theme's navigation is rendered once for the pages that would render it alike
(`generator.nav_cache`), and the theme's blocks and partials that read only the site's settings
once per place in the site (`generator.block_cache`).

Used by `generator.publish` in the engine's process, never named in `mkdocs.yml`.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import mmap
import os
import pickle
import posixpath
import re
import struct
import threading
from collections.abc import Collection, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, file_sort_key, set_exclusions
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import get_relative_url

from generator.block_cache import BlockCache
from generator.block_tags import BlockTagSet
from generator.cache import Cache, NoCache, key_of, pickled
from generator.forked import can_fork, fork, reap
from generator.inline_skip import InlineSkip
from generator.known_markdown import convert as convert_known
from generator.known_markdown import follows
from generator.nav_cache import NavCache

ENV = "JCM_PAGE_CACHE_DIR"
NAMESPACE = "page"
_FLUSH_EVERY = 2000
_ENGINE = ("mkdocs", "markdown", "pymdown-extensions")
_PIPE_BYTES = 1 << 20


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append(record)


def _tokens(links: list[AnchorLink]) -> list[dict[str, Any]]:
    return [
        {"name": a.title, "id": a.id, "level": a.level, "children": _tokens(a.children)}
        for a in links
    ]


def _lookup(files: Any, path: str) -> tuple[str, str] | None:
    found = files.get_file_from_path(path)
    return (found.src_uri, found.url) if found is not None else None


class _Claims:
    """Which pages the forked copy converts ahead of the engine, which goes through them in
    order: the copy claims pages one after another, at least `_NEAR` ahead of the engine,
    leaping `_AHEAD` ahead when the engine comes nearer; the engine converts every page it
    reaches unclaimed, and takes the copy's conversion of the others.

    **Why** not every other page: the engine also reads every page and takes in each of the
    copy's conversions, and was left converting alone for 6 s of 36 at 10,000 projects. Here
    each converts as fast as it can and they end together.

    In memory both share (anonymous `mmap`), without a lock (a copy killed while holding one
    would leave the engine waiting for ever): a page both claim at once is converted by both,
    and the engine uses its own conversion."""

    _FREE, _ENGINE, _COPY = 0, 1, 2

    def __init__(self, pages: list[Page]) -> None:
        self.count = len(pages)
        self.index = {page.file.src_uri: i for i, page in enumerate(pages)}
        self._mem = mmap.mmap(-1, 8 + self.count)
        struct.pack_into("q", self._mem, 0, -1)

    def engine_at(self, src_uri: str) -> bool:
        """The engine reached this page: True if it is the engine's to convert (unclaimed, it
        is now the engine's), False if the copy claimed it."""
        i = self.index.get(src_uri)
        if i is None:
            return True
        struct.pack_into("q", self._mem, 0, i)
        if self._mem[8 + i] == self._COPY:
            return False
        self._mem[8 + i] = self._ENGINE
        return True

    def for_copy(self) -> Iterator[int]:
        """In the copy: the pages it claims, in order."""
        j = 0
        while j < self.count:
            engine = struct.unpack_from("q", self._mem, 0)[0]
            if j < engine + _NEAR:
                j = engine + _AHEAD
                continue
            if self._mem[8 + j] == self._FREE:
                self._mem[8 + j] = self._COPY
                yield j
            j += 1

    def close(self) -> None:
        self._mem.close()


_NEAR, _AHEAD = 8, 32


class _Helper:
    """A forked copy of the engine converting pages ahead of it (`_Claims`).

    Each page comes back as `(src_uri, key, conversion)`: the pickled record, or None when the
    cache already holds it or the copy could not convert it quietly. A reader thread collects
    them so that the copy never waits on a full pipe.
    """

    def __init__(self, pages: list[Page], work: Any) -> None:
        self.claims = _Claims(pages)
        self._got: dict[str, tuple[str, bytes | None]] = {}
        self._done = False
        self._ready = threading.Condition()
        read, write = os.pipe()
        self.pid = fork()
        if self.pid == 0:  # pragma: no cover - runs in the forked copy, whose end is os._exit
            os.close(read)
            code = 1
            try:
                with os.fdopen(write, "wb") as out:
                    for i in self.claims.for_copy():
                        pickle.dump(work(pages[i]), out, protocol=pickle.HIGHEST_PROTOCOL)
                        out.flush()
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        with contextlib.suppress(AttributeError, OSError):
            fcntl.fcntl(read, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self._stream = os.fdopen(read, "rb")
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        try:
            while True:
                src_uri, key, conversion = pickle.load(self._stream)
                with self._ready:
                    self._got[src_uri] = (key, conversion)
                    self._ready.notify_all()
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):
            pass
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def take(self, src_uri: str) -> tuple[str, bytes | None] | None:
        """The copy's answer for a page (waiting for it), or None if it never comes."""
        with self._ready:
            while src_uri not in self._got and not self._done:
                self._ready.wait()
            return self._got.pop(src_uri, None)

    def close(self) -> None:
        """Stop the copy if it still runs, and reap it."""
        reap(self.pid, kill=True)
        self._reader.join(timeout=5)
        self._stream.close()
        self.claims.close()


class _Writer:
    """A forked copy of the engine that writes the static files, then renders pages into the
    site with mkdocs' own page builder from the last one down, while the engine renders them
    from the first one up, until they meet (`_Meeting`); the engine waits for it at the end.

    The copy ends with status 0 only if every page it took was written and nothing was
    logged: on any other end the engine renders those pages itself (so that what they log is
    logged, and a strict build fails as it would have).
    """

    def __init__(
        self, pages: list[Page], config: Any, files: Any, nav: Any, env: Any, static: list[File]
    ) -> None:
        self.pages = pages
        self.static = static
        self.meeting = _Meeting(pages)
        self.pid = fork()
        if self.pid == 0:  # pragma: no cover - runs in the forked copy, whose end is os._exit
            code = 1
            try:
                recorder = _Recorder()
                for name in ("", "mkdocs"):
                    logging.getLogger(name).handlers.clear()
                logging.getLogger("mkdocs").addHandler(recorder)
                doc_files = files.documentation_pages()
                for file in static:
                    File.copy_file(file)
                for i in self.meeting.for_copy():
                    _build_page(pages[i], config, doc_files, nav, env)
                    self.meeting.copy_done(i)
                code = 0 if not any(r.levelno >= logging.WARNING for r in recorder.records) else 2
            finally:
                os._exit(code)

    def wait(self) -> bool:
        """True when the copy wrote every page it took quietly."""
        return reap(self.pid) == 0

    def kill(self) -> None:
        reap(self.pid, kill=True)


class _Meeting:
    """Pages rendered by the engine from the first one up and by its writing copy from the last
    one down, until they meet. In memory both share (anonymous `mmap`), without a lock (a copy
    killed while holding one would leave the engine waiting for ever), each writes only marks
    of its own: the engine's (it renders the page), the copy's (it took the page, then wrote
    it). Where they meet, both may take a page, and both write the same bytes; neither passes
    over a page the other did not take; if the copy dies, every page it took is rendered
    again. **Why** not every other page: the engine also goes through the copy's pages
    (mkdocs' loop, its sitemap), and rendered alone for 2.6 s at the end at 10,000 projects."""

    _TOOK, _DONE = 1, 2

    def __init__(self, pages: list[Page]) -> None:
        self.index = {page.file.src_uri: i for i, page in enumerate(pages)}
        self.engine = os.getpid()
        self.count = len(pages)
        self._marks = mmap.mmap(-1, max(1, 2 * self.count))  # the engine's, then the copy's
        self.left_to_copy = 0
        """Pages the engine gave the empty template, leaving them to the copy."""
        self.finished = False
        """Set when the engine renders the copy's pages itself: it then takes every page."""

    def engine_takes(self, src_uri: str) -> bool:
        """In the engine, as it comes to a page: True if it renders it (the copy has not taken
        it). Always True in any other process, for a page the meeting does not know, and once
        the meeting is finished."""
        i = self.index.get(src_uri)
        if i is None or self.finished or os.getpid() != self.engine:
            return True
        if self._marks[i]:  # taken before
            return True
        if self._marks[self.count + i]:
            return False
        self._marks[i] = 1
        return True

    def for_copy(self) -> Iterator[int]:
        """In the copy: the pages it takes, from the last one down to the engine's."""
        for i in range(self.count - 1, -1, -1):
            if self._marks[i]:
                return
            self._marks[self.count + i] = self._TOOK
            yield i

    def copy_done(self, i: int) -> None:
        self._marks[self.count + i] = self._DONE

    def copy_took(self) -> list[int]:
        """The pages the copy took (written or not)."""
        return [i for i in range(self.count) if self._marks[self.count + i]]

    def close(self) -> None:
        self._marks.close()


_ELSEWHERE = "jcm-rendered-by-the-copy.html"


def _skip_taken(env: jinja2.Environment, config: Any, meeting: _Meeting) -> None:
    """Give the pages the writing copy took the empty template, which mkdocs writes nothing
    for: the template a page is rendered with is the one mkdocs asks for without a parent
    (includes and `extends` name theirs) while building that page (`config._current_page`).

    **Why** here: mkdocs chooses a page's template before any plugin event of the page."""
    real = env.get_template

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        page = config._current_page
        if (
            parent is None
            and page is not None
            and not meeting.finished
            and name == page.meta.get("template", "main.html")
            and not meeting.engine_takes(page.file.src_uri)
        ):
            meeting.left_to_copy += 1
            return real(_ELSEWHERE)
        return real(name, parent, globals)

    env.get_template = get_template  # type: ignore[method-assign]


def _written_elsewhere(dirty: bool = False) -> None:
    """A generated file the writing copy puts into the site (see `PageCache.on_env`)."""


class _Held(logging.Filter):
    """Holds back what mkdocs logs while the known converter tries a page: a page it gives
    up on, or whose links mkdocs warns about, is converted again by Python-Markdown, which
    logs it then."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return False


_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
_OWN_LINK = re.compile(r"[^\s:?%\\#]+\.md(?:#[^\s#?%]*)?")


class _Links:
    """mkdocs' rewriting of a page's links (`_RelativePathTreeprocessor.path_to_url`), with the
    two kinds the generator writes most answered here as it answers them: a link to an anchor
    of the page, and a relative link to a page that exists and is not excluded. Every other
    link (and any it would warn about) goes to mkdocs' own rewriting."""

    def __init__(self, page: Page, files: Any, config: Any) -> None:
        self.relative = _RelativePathTreeprocessor(page.file, files, config)
        self.file = page.file
        self.files = files
        self.folder = posixpath.dirname(page.file.src_uri)

    def __call__(self, url: str) -> str:
        if url.startswith("#") and len(url) > 1 and "?" not in url:
            self.relative.links_to_anchors.setdefault(self.file, {}).setdefault(url[1:], url)
            return url
        if _OWN_LINK.fullmatch(url) and not url.startswith("/"):
            path, _, anchor = url.partition("#")
            uri = posixpath.normpath(posixpath.join(self.folder, path).lstrip("/"))
            target = self.files.get_file_from_path(uri)
            if target is not None and not target.inclusion.is_excluded():
                if anchor:
                    self.relative.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
                relative = get_relative_url(target.url, self.file.url)
                return f"{relative}#{anchor}" if anchor else relative
        return self.relative.path_to_url(url)


def convert_page(page: Page, config: Any, files: Any, known: bool) -> None:
    """Convert a page as `Page.render` does: with the known converter when `known` (the
    site's extensions are those it follows) and it follows the page quietly, else with
    Python-Markdown."""
    if known:
        links = _Links(page, files, config)
        held = _Held()
        _PAGES_LOG.addFilter(held)
        try:
            converted = convert_known(page.markdown or "", links)
        finally:
            _PAGES_LOG.removeFilter(held)
        if converted is not None and not held.records:
            page.content = converted.content
            page.toc = get_toc(converted.toc_tokens)
            page._title_from_render = None
            page.present_anchor_ids = converted.anchors
            if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = links.relative.links_to_anchors
            return
    Page.render(page, config, files)


class _Elsewhere(logging.Filter):
    """Hides mkdocs' note that a page rendered by the copy was skipped by the engine."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Page skipped:")


def _link_file(file: Any, dirty: bool = False) -> None:
    """Put a static file into the site as a hard link to the staged one (a copy if the
    system refuses): the staged docs are thrown away after the build, the bytes are the same."""
    target = file.abs_dest_path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        if os.path.lexists(target):
            os.unlink(target)
        os.link(file.abs_src_path, target)
    except OSError:
        File.copy_file(file, dirty)


def add_generated(
    files: Files,
    config: Any,
    generated: Mapping[str, str | bytes],
    elsewhere: Collection[str] = (),
) -> Files:
    """The docs folder's files with `generated` among them as if they had been written into it
    (`generator.publish.stage_docs`): the files `get_files` would make for them, in its order,
    holding their content; one replaces a hand-written file of the same path.

    A page's text is read back as its file would be, so it converts to the same HTML; two files
    of a folder at one address are resolved as `get_files` resolves them. The files `elsewhere`
    (data files, not pages) are known by path, for the links to them, and not written: others
    put them into the site (`generator.beside`)."""
    docs = config["docs_dir"]
    made = []
    for rel, content in generated.items():
        file = File(rel, docs, config["site_dir"], config["use_directory_urls"])
        file._content = _as_read(file, content)
        made.append(file)
    for rel in elsewhere:
        if rel in generated:
            continue
        file = File(rel, docs, config["site_dir"], config["use_directory_urls"])
        if file.is_documentation_page():
            raise ValueError(f"{rel}: only data files are put into the site by others")
        file._content = b""
        file.copy_file = _written_elsewhere
        made.append(file)
    set_exclusions(made, config)
    paths = {file.src_uri for file in made}
    own = [f for f in files if f.src_dir == docs and f.generated_by is None]
    others = [f for f in files if not (f.src_dir == docs and f.generated_by is None)]
    kept = [f for f in own if f.src_uri not in paths]
    # the theme's files were added after the folder's: one a docs file takes is left out
    others = [f for f in others if f.src_uri not in paths]
    return Files(_without_conflicts(sorted(kept + made, key=file_sort_key)) + others)


def _as_read(file: File, content: str | bytes) -> str | bytes:
    """What mkdocs gets from the file `stage_docs` would write: a page's text as read (UTF-8,
    one leading byte-order mark dropped, CR and CRLF line ends made LF); any other file's bytes
    as written."""
    if not file.is_documentation_page():
        return content.encode("utf-8") if isinstance(content, str) else content
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            return content  # mkdocs reports it when it reads the page, as from a file
    return content.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _without_conflicts(files: list[File]) -> list[File]:
    """`get_files`' rule for two files of one folder at the same address (`README.md` beside
    `index.md`): the later one wins if it is included, with mkdocs' warning when both are."""
    first: dict[tuple[str, str], File] = {}
    conflicts = []
    for file in files:
        place = (posixpath.dirname(file.src_uri), file.dest_uri)
        if first.setdefault(place, file) is not file:
            conflicts.append((first[place], file))
    kept = list(files)
    for a, b in conflicts:
        loser = a if b.inclusion.is_included() else b
        if loser is a and a.inclusion.is_included():
            logging.getLogger("mkdocs.structure.files").warning(
                f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'."
            )
        if loser in kept:
            kept.remove(loser)
    return kept


# Markdown extensions that change how fast pages convert, never what they convert to
_SAME_HTML = (InlineSkip, BlockTagSet)


class PageCache(BasePlugin):
    """Keeps each page's conversion in the registry's cache (namespace `page`)."""

    def __init__(
        self,
        directory: Path | None,
        parallel: bool = True,
        link_static: bool = False,
        generated: Mapping[str, str | bytes] | None = None,
        elsewhere: Collection[str] = (),
    ) -> None:
        super().__init__()
        self.link_static = link_static
        self.generated = generated
        self.elsewhere = elsewhere
        self.cache = Cache(directory) if directory is not None else NoCache()
        self.parallel = parallel
        self.helper: _Helper | None = None
        self.writer: _Writer | None = None
        self._nav: Any = None
        self.nav_cache: NavCache | None = None
        self.block_cache: BlockCache | None = None
        self.pending: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.present: set[str] | None = None
        self.hits = 0
        self.misses = 0
        self.handed = 0  # of the misses, those the forked copy converted
        self.left_to_copy = 0  # pages the writing copy rendered
        self.rendered_for_copy = 0  # pages it took, rendered here when it failed
        self.not_published: list[str] = []  # files of `elsewhere` the settings exclude
        self._salt = ""
        self.known = False

    def on_config(self, config: Any) -> Any:
        """The cache's salt from the engine's settings, then the converter's speed-ups added
        (the same HTML, faster: see `_SAME_HTML`, so not part of the salt)."""
        versions = [f"{name}=={metadata.version(name)}" for name in _ENGINE]
        self._salt = key_of(
            *versions,
            repr([e for e in config["markdown_extensions"] if not isinstance(e, _SAME_HTML)]),
            repr(sorted((config["mdx_configs"] or {}).items(), key=lambda kv: kv[0])),
            repr(config["use_directory_urls"]),
            repr(config["validation"]),
        )
        extensions = config["markdown_extensions"]
        self.known = follows(
            [e for e in extensions if not isinstance(e, _SAME_HTML)], config["mdx_configs"]
        )
        for kind in _SAME_HTML:
            if not any(isinstance(e, kind) for e in extensions):
                extensions = [*extensions, kind()]
        config["markdown_extensions"] = extensions
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        """Add the generated pages and files; with staged docs (thrown away after the build),
        link static files instead of copying them."""
        if self.generated is not None:
            files = add_generated(files, config, self.generated, self.elsewhere)
            self.generated = None  # the files hold them now
            if self.elsewhere:
                kept = {f.src_uri for f in files if f.inclusion.is_included()}
                self.not_published = [p for p in self.elsewhere if p not in kept]
        if not self.link_static:
            return files
        docs = os.path.realpath(config["docs_dir"]) + os.sep
        for file in files:
            source = file.abs_src_path
            if (
                not file.is_documentation_page()
                and file._content is None
                and source
                and os.path.realpath(source).startswith(docs)
            ):
                file.copy_file = functools.partial(_link_file, file)
        return files

    def _can_share(self) -> bool:
        return self.parallel and can_fork()

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """Start the copy converting pages ahead of the engine (mkdocs now knows them all)."""
        self._nav = nav
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        if not self._can_share() or len(pages) < 2:
            return nav
        self._kept_keys()
        self.cache.close()  # the copy must not inherit an open connection
        self.helper = _Helper(pages, lambda page: self._convert_in_copy(page, config, files))
        return nav

    def _kept_keys(self) -> set[str]:
        """The keys of the kept conversions, read once. **Why:** a build with a cold cache
        asked SQLite for each of 28,000 pages in turn (two seconds at 10,000 projects), and the
        forked copy now knows without a connection of its own which pages it may leave to
        the engine."""
        if self.present is None:
            self.present = self.cache.keys(NAMESPACE) if self.cache.enabled else set()
        return self.present

    def _convert_in_copy(
        self, page: Page, config: Any, files: Any
    ) -> tuple[str, str, bytes | None]:
        """In the forked copy: what mkdocs does to a page up to its conversion, then convert
        (unless the engine keeps its conversion: the copy reads no cache)."""
        if not getattr(self, "_in_copy", False):
            self._in_copy = True
            self.cache = NoCache()
            for name in ("", "mkdocs"):  # the engine reports; the copy stays silent
                logging.getLogger(name).handlers.clear()
        src_uri = page.file.src_uri
        key = ""
        try:
            config._current_page = page
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(
                page.markdown, page=page, config=config, files=files
            )
            key = self._key(page)
            if key in self._kept_keys():
                return src_uri, key, None
            return src_uri, key, self._conversion(page, config, files)
        except Exception:
            return src_uri, key, None
        finally:
            config._current_page = None

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Every page is converted: start the copy writing the static files and rendering
        pages into the site (`_Writer`); the engine gives the pages it takes the empty
        template (`_skip_taken`)."""
        self._stop_helper()
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        share = self._can_share() and len(pages) >= 2 and self._nav is not None
        if share:  # before the navigation is wrapped: a new loader loads templates anew
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_ELSEWHERE: ""}), env.loader])
        if self._nav is not None:
            self.nav_cache = NavCache(self._nav, config)
            self.nav_cache.install(env, config)
        self.block_cache = BlockCache()
        self.block_cache.install(env, config)
        if not share:
            return env
        static = [
            f
            for f in files
            if f._content is not None
            and not f.is_documentation_page()
            and f.inclusion.is_included()
            and f.copy_file is not _written_elsewhere
        ]
        self.cache.close()  # nor does the writing copy (the engine reopens it when it writes)
        self.writer = _Writer(pages, config, files, self._nav, env, static)
        for file in static:  # the copy writes them
            file.copy_file = _written_elsewhere
        _skip_taken(env, config, self.writer.meeting)
        self._env, self._files = env, files
        builder = logging.getLogger("mkdocs.commands.build")
        if not any(isinstance(f, _Elsewhere) for f in builder.filters):
            builder.addFilter(_Elsewhere())
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_helper()
        if self.writer is not None:
            self.writer.kill()
            self.writer.meeting.close()
            self.writer = None

    def _finish_writer(self, config: Any) -> None:
        """Wait for the copy; if it did not write its pages quietly, render them here."""
        writer, self.writer = self.writer, None
        if writer is None:
            return
        self.left_to_copy = writer.meeting.left_to_copy
        try:
            if writer.wait():
                return
            doc_files = self._files.documentation_pages()
            writer.meeting.finished = True
            took = writer.meeting.copy_took()
            self.rendered_for_copy = len(took)
            for i in took:
                _build_page(writer.pages[i], config, doc_files, self._nav, self._env)
            for file in writer.static:
                File.copy_file(file)
        finally:
            writer.meeting.close()

    def _stop_helper(self) -> None:
        if self.helper is not None:
            self.helper.close()
            self.helper = None

    def on_pre_page(self, page: Page, *, config: Any, files: Any) -> Page:
        page.render = lambda config, files, page=page: self._render(page, config, files)
        return page

    def _key(self, page: Page) -> str:
        return key_of(self._salt, page.file.src_uri, page.markdown or "")

    def _render(self, page: Page, config: Any, files: Any) -> None:
        key = self._key(page)
        self.used.add(key)
        mine = self.helper is None or self.helper.claims.engine_at(page.file.src_uri)
        kept = self.cache.get(NAMESPACE, key) if key in self._kept_keys() else None
        if kept is not None and self._restore(page, kept, files):
            self.hits += 1
            return
        self.misses += 1
        if self.helper is not None and not mine:
            answer = self.helper.take(page.file.src_uri)
            handed = answer[1] if answer is not None and answer[0] == key else None
            if handed is not None and self._restore(page, pickle.loads(handed), files):
                self.handed += 1
                self._keep(key, handed)
                return
        self._convert(page, config, files, key)

    def _restore(self, page: Page, kept: dict[str, Any], files: Any) -> bool:
        try:
            if any(_lookup(files, path) != tuple_or_none(seen) for path, seen in kept["lookups"]):
                return False
            links = None
            if kept["links_to_anchors"] is not None:
                links = {}
                for src_uri, anchors in kept["links_to_anchors"]:
                    target = files.get_file_from_path(src_uri)
                    if target is None:
                        return False
                    links[target] = dict(anchors)
            page.content = kept["content"]
            page.toc = get_toc(kept["toc"])
            page._title_from_render = kept["title"]
            page.present_anchor_ids = set(kept["anchors"])
            page.links_to_anchors = links
        except (KeyError, TypeError, ValueError):
            return False
        return True

    def _convert(self, page: Page, config: Any, files: Any, key: str) -> None:
        conversion = self._conversion(page, config, files)
        if conversion is not None:
            self._keep(key, conversion)

    def _keep(self, key: str, conversion: bytes) -> None:
        if not self.cache.enabled:
            return
        self.pending[key] = conversion
        if len(self.pending) >= _FLUSH_EVERY:
            self._flush()

    def _conversion(self, page: Page, config: Any, files: Any) -> bytes | None:
        """Convert the page (as mkdocs does) and return the record to keep, or None when the
        conversion logged anything: such a page is converted, and says it, every time."""
        lookups: dict[str, tuple[str, str] | None] = {}
        original = files.get_file_from_path

        def spy(path: str) -> Any:
            found = original(path)
            lookups[path] = (found.src_uri, found.url) if found is not None else None
            return found

        recorder = _Recorder()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(recorder)
        files.get_file_from_path = spy
        try:
            convert_page(page, config, files, self.known)
        finally:
            del files.get_file_from_path
            logger.removeHandler(recorder)
        if recorder.records:
            return None
        links = page.links_to_anchors
        return pickled(
            {
                "content": page.content,
                "toc": _tokens(list(page.toc)),
                "title": page._title_from_render,
                "anchors": sorted(
                    page.present_anchor_ids or (), key=lambda a: (a is None, a or "")
                ),
                "links_to_anchors": None
                if links is None
                else [(f.src_uri, list(a.items())) for f, a in links.items()],
                "lookups": sorted(
                    (path, list(seen) if seen else None) for path, seen in lookups.items()
                ),
            }
        )

    def _flush(self) -> None:
        self.cache.put_pickled(NAMESPACE, self.pending)
        self.pending = {}

    def on_post_build(self, *, config: Any) -> None:
        self._finish_writer(config)
        self._flush()
        self.cache.keep_only(NAMESPACE, self.used)
        self.cache.close()


def tuple_or_none(value: Any) -> tuple | None:
    return tuple(value) if value is not None else None


def install(
    config: Any,
    directory: Path | None,
    parallel: bool = True,
    link_static: bool = False,
    generated: Mapping[str, str | bytes] | None = None,
    elsewhere: Collection[str] = (),
) -> PageCache:
    """Add the plugin to a loaded mkdocs configuration (in the engine's process): `directory`
    for the kept conversions (None: convert every page), `parallel` to convert on two cores,
    `link_static` when the docs folder is staged and thrown away after the build, `generated`
    the pages and files to add to the docs folder in memory (by path in it), `elsewhere` the
    paths of data files others put into the site (`add_generated`)."""
    plugin = PageCache(directory, parallel, link_static, generated, elsewhere)
    config.plugins["jcm-page-cache"] = plugin
    return plugin
