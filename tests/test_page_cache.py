"""Reusing the engine's conversions of unchanged pages changes nothing in the site, and hides
no broken link or anchor from the strict build."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from mkdocs.commands.build import _build_page as mkdocs_build_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.cache import Cache
from generator.page_cache import NAMESPACE, install
from generator.pipeline import build
from generator.synth import synthesize
from tests.conftest import FIXTURES


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def page_entries(cache_dir: Path) -> int:
    (db,) = cache_dir.glob("*.sqlite3")
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM entries WHERE ns = ?", (NAMESPACE,)).fetchone()[0]


@pytest.mark.parametrize("registry", ["example", "synthetic"])
def test_a_site_built_from_kept_pages_is_the_same_site(tmp_path, registry):
    root = tmp_path / "registry"
    if registry == "example":
        shutil.copytree(FIXTURES / "example", root)
    else:
        synthesize(root, 60, seed=4)
    plain = build(root, tmp_path / "plain").site
    first = build(root, tmp_path / "first", Cache(tmp_path / "cache")).site
    kept = page_entries(tmp_path / "cache")
    assert kept == len(list(plain.rglob("*.html"))) - 1, "every page but 404.html was kept"
    counts: dict[str, float] = {}
    again = build(root, tmp_path / "again", Cache(tmp_path / "cache"), counts).site
    assert (counts["pages reused"], counts["pages converted"]) == (kept, 0)
    assert digests(plain) == digests(first) == digests(again)
    assert page_entries(tmp_path / "cache") == kept


def test_kept_pages_that_cannot_be_read_are_converted_again(tmp_path):
    """The forked copy leaves the pages whose keys the cache holds to the engine, which reads
    them; an entry that does not unpickle is converted there, and kept anew."""
    root = tmp_path / "registry"
    synthesize(root, 60, seed=4)
    first = build(root, tmp_path / "first", Cache(tmp_path / "cache")).site
    assert first is not None
    kept = page_entries(tmp_path / "cache")
    (db,) = (tmp_path / "cache").glob("*.sqlite3")
    with contextlib.closing(sqlite3.connect(db)) as con, con:
        con.execute("UPDATE entries SET value = x'00' WHERE ns = ?", (NAMESPACE,))
    counts: dict[str, float] = {}
    again = build(root, tmp_path / "again", Cache(tmp_path / "cache"), counts).site
    assert (counts["pages reused"], counts["pages converted"]) == (0, kept)
    assert digests(first) == digests(again)
    counts = {}
    build(root, tmp_path / "third", Cache(tmp_path / "cache"), counts)
    assert (counts["pages reused"], counts["pages converted"]) == (kept, 0)


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    docs = tmp_path / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\nstrict: true\nvalidation:\n  links:\n    anchors: warn\n"
        "markdown_extensions: [toc]\n"
    )
    return tmp_path / "mkdocs.yml"


def _engine(config_file: Path, cache_dir: Path, site: Path, strict: bool = True):
    config = load_config(str(config_file), site_dir=str(site), strict=strict)
    install(config, cache_dir)
    plugin = config.plugins["jcm-page-cache"]
    mkdocs_build(config)
    return plugin


def test_a_kept_page_whose_link_target_is_gone_is_converted_again(tmp_path, caplog):
    pages = {"index.md": "# Home\n\nSee [the other page](other.md).\n", "other.md": "# Other\n"}
    config_file = _project(tmp_path, pages)
    first = _engine(config_file, tmp_path / "cache", tmp_path / "s1")
    assert first.misses == 2
    second = _engine(config_file, tmp_path / "cache", tmp_path / "s2")
    assert (second.hits, second.misses) == (2, 0)
    del pages["other.md"]
    config_file = _project(tmp_path, pages)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        _engine(config_file, tmp_path / "cache", tmp_path / "s3")
    assert "other.md" in caplog.text


def test_a_kept_link_to_an_anchor_that_is_gone_still_fails(tmp_path, caplog):
    pages = {"index.md": "# Home\n\nSee [x](other.md#part).\n", "other.md": "# Other\n\n## Part\n"}
    config_file = _project(tmp_path, pages)
    _engine(config_file, tmp_path / "cache", tmp_path / "s1")
    pages["other.md"] = "# Other\n\n## Whole\n"
    config_file = _project(tmp_path, pages)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        plugin = _engine(config_file, tmp_path / "cache", tmp_path / "s2")
        assert plugin.hits == 1  # the home page was reused, its link still checked
    assert "part" in caplog.text


def test_a_conversion_that_warned_is_not_kept(tmp_path):
    pages = {"index.md": "# Home\n\nSee [nowhere](missing.md).\n"}
    config_file = _project(tmp_path, pages)
    for site in ("s1", "s2"):  # not strict: the build goes on
        plugin = _engine(config_file, tmp_path / "cache", tmp_path / site, strict=False)
        assert (plugin.hits, plugin.misses) == (0, 1)


# --- two cores: the forked copies convert and render half the pages -------------------------

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A small synthetic registry's project folder and rendered pages and files."""
    from generator.history import read_history
    from generator.pipeline import validate_root
    from generator.publish import site_config, site_project
    from generator.render.site import render_site

    root = tmp_path_factory.mktemp("rendered") / "registry"
    synthesize(root, 40, seed=7)
    validation = validate_root(root, None)
    return site_project(root), render_site(validation, read_history(root), site_config(root))


@pytest.fixture(scope="module")
def staged(rendered, tmp_path_factory) -> Path:
    """The engine's docs folder for a small synthetic registry, written out whole."""
    from generator.publish import stage_docs

    project, pages = rendered
    return stage_docs(project, pages.pages, pages.files, tmp_path_factory.mktemp("staged") / "d")


def _build_docs(docs: Path, site: Path, **plugin):
    config = load_config(
        str(REPOSITORY / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), strict=True
    )
    installed = install(config, None, **plugin) if plugin else None
    mkdocs_build(config)
    return installed


def _page_count(docs: Path) -> int:
    return len(list(docs.rglob("*.md")))


def _engine_slowed(monkeypatch) -> None:
    """The engine (this process) converts and renders each page a few milliseconds slower,
    so that its copies surely take some pages, however busy the machine."""
    import os
    import time

    import mkdocs.commands.build

    from generator import page_cache

    engine = os.getpid()

    def slowed(real):
        def slower(*args, **kwargs):
            if os.getpid() == engine:
                time.sleep(0.004)
            return real(*args, **kwargs)

        return slower

    monkeypatch.setattr(page_cache, "convert_page", slowed(page_cache.convert_page))
    monkeypatch.setattr(mkdocs.commands.build, "_build_page", slowed(mkdocs_build_page))


def test_two_cores_build_the_site_one_core_builds(staged, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _build_docs(staged, tmp_path / "plain")
    one = _build_docs(staged, tmp_path / "one", parallel=False)
    _engine_slowed(monkeypatch)
    two = _build_docs(staged, tmp_path / "two", parallel=True, link_static=True)
    assert one.handed == 0
    assert one.nav_cache.hits > _page_count(staged) // 2, "record pages share their navigation"
    assert 0 < two.handed < _page_count(staged), "the copy converted pages ahead of the engine"
    assert 0 < two.left_to_copy < _page_count(staged), "the writing copy rendered pages"
    assert one.left_to_copy == 0
    assert digests(tmp_path / "plain") == digests(tmp_path / "one") == digests(tmp_path / "two")
    linked = tmp_path / "two" / "api" / "v1" / "projects.json"
    assert linked.stat().st_nlink == 2, "static files are linked, not copied"
    assert (tmp_path / "one" / "api" / "v1" / "projects.json").stat().st_nlink == 1


def test_pages_and_files_given_in_memory_build_the_site_a_written_folder_builds(
    rendered, staged, tmp_path, monkeypatch
):
    from generator.publish import stage_content

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    project, pages = rendered
    content = stage_content(project, tmp_path / "content-only")
    generated = {**pages.pages, **pages.files}
    _build_docs(staged, tmp_path / "written", parallel=False)
    _build_docs(content, tmp_path / "memory", parallel=True, link_static=True, generated=generated)
    assert digests(tmp_path / "written") == digests(tmp_path / "memory")
    assert sorted(p.name for p in content.iterdir()) == sorted(
        p.name for p in (project / "content").iterdir()
    ), "nothing generated was written into the docs folder"


def test_a_page_given_in_memory_reads_as_its_file_would(tmp_path, monkeypatch):
    """A byte-order mark, CR and CRLF line ends in a generated page come out as they do from a
    written file; a generated page replaces a hand-written one of the same path, and a
    generated file one of the theme."""
    text = "\ufeff# Other\r\n\r\nOne line\rand the next.\r\n\r\n| a |\r\n|---|\r\n| b |\n"
    hand = {"index.md": "# Home\n\nSee [other](other.md).\n", "other.md": "# Hand\n"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    config_file = _project(tmp_path, {**hand, "other.md": text})
    (tmp_path / "docs" / "img").mkdir()
    (tmp_path / "docs" / "img" / "x.bin").write_bytes(b"\r\n\x00")
    (tmp_path / "docs" / "img" / "favicon.ico").write_bytes(b"mine")  # the theme has one
    written = load_config(str(config_file), site_dir=str(tmp_path / "written"), strict=True)
    mkdocs_build(written)
    config_file = _project(tmp_path, hand)
    memory = load_config(str(config_file), site_dir=str(tmp_path / "memory"), strict=True)
    install(
        memory,
        None,
        generated={"other.md": text, "img/x.bin": b"\r\n\x00", "img/favicon.ico": b"mine"},
    )
    mkdocs_build(memory)
    assert digests(tmp_path / "written") == digests(tmp_path / "memory")
    assert "One line" in (tmp_path / "memory" / "other" / "index.html").read_text()
    assert (tmp_path / "memory" / "img" / "favicon.ico").read_bytes() == b"mine"


def test_files_given_in_memory_meet_the_folder_as_written_files_would(
    tmp_path, monkeypatch, caplog
):
    """A generated index.md beside a hand-written README.md excludes it with mkdocs' warning;
    text for a file that is not a page is written as it is."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    hand = {"about.md": "# About\n", "README.md": "# Readme\n"}
    generated = {"index.md": "# Home\n", "notes.txt": "a\r\nb\ufeff\r"}
    logs = []
    for way in ("written", "memory"):
        config_file = _project(tmp_path, {**hand, **generated} if way == "written" else hand)
        config = load_config(str(config_file), site_dir=str(tmp_path / way), strict=False)
        if way == "memory":
            install(config, None, generated=generated)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            mkdocs_build(config)
        logs.append([r.getMessage() for r in caplog.records if "conflicts" in r.getMessage()])
    assert digests(tmp_path / "written") == digests(tmp_path / "memory")
    assert (
        logs[0]
        == logs[1]
        == ["Excluding 'README.md' from the site because it conflicts with 'index.md'."]
    )
    assert (tmp_path / "memory" / "notes.txt").read_bytes() == "a\r\nb\ufeff\r".encode()


def test_copies_that_die_leave_the_engine_to_do_their_share(staged, tmp_path, monkeypatch):
    import os

    from generator import page_cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    engine = os.getpid()
    real_build_page = page_cache._build_page

    def dies_in_the_copy(*args, **kwargs):
        if os.getpid() != engine:
            os._exit(3)
        return real_build_page(*args, **kwargs)

    monkeypatch.setattr(page_cache, "_build_page", dies_in_the_copy)
    monkeypatch.setattr(page_cache.PageCache, "_convert_in_copy", lambda *a: os._exit(3))
    two = _build_docs(staged, tmp_path / "two", parallel=True)
    assert (two.handed, two.misses) == (0, _page_count(staged))
    _build_docs(staged, tmp_path / "plain")
    assert digests(tmp_path / "plain") == digests(tmp_path / "two")


def test_a_broken_link_on_a_page_the_copy_converts_still_fails(tmp_path, caplog):
    pages = {"index.md": "# Home\n", "other.md": "# Other\n\nSee [nowhere](missing.md).\n"}
    config_file = _project(tmp_path, pages)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        _engine(config_file, tmp_path / "cache", tmp_path / "s1")
    assert "missing.md" in caplog.text


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_an_engine_asked_to_stop_reaps_its_copies_before_it_ends(staged, tmp_path):
    """An interrupted build asks the engine to stop, then removes the staging folder: the
    copies writing pages into it must be gone by then, not dying a moment later."""
    import signal
    import subprocess
    import sys
    import time

    engine = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator.site_engine",
            str(REPOSITORY / "mkdocs.yml"),
            str(staged),
            str(tmp_path / "site"),
        ],
        cwd=str(REPOSITORY),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    copies: list[int] = []
    deadline = time.monotonic() + 60
    while not copies and engine.poll() is None and time.monotonic() < deadline:
        copies = _children(engine.pid)
        time.sleep(0.005)
    assert copies, "the engine forked a copy"
    engine.send_signal(signal.SIGTERM)
    assert engine.wait(timeout=30) == 128 + signal.SIGTERM
    assert not [pid for pid in copies if Path(f"/proc/{pid}").exists()]


def test_the_copy_claims_pages_ahead_of_the_engine_and_each_has_one_converter():
    """However the two go on, the engine converts exactly the pages the copy did not claim,
    and the copy claims only pages the engine has not come near."""
    import random
    from types import SimpleNamespace

    from generator.page_cache import _NEAR, _Claims

    pages = [SimpleNamespace(file=SimpleNamespace(src_uri=f"p{i}.md")) for i in range(300)]
    for seed in range(20):
        rng = random.Random(seed)
        claims = _Claims(pages)
        copy = claims.for_copy()
        by_copy: set[int] = set()
        engine_converts = 0
        for i, page in enumerate(pages):
            for _ in range(rng.choice([0, 0, 1, 1, 2, 5])):  # the copy's pace varies
                j = next(copy, None)
                if j is None:
                    break
                assert j >= i - 1 + _NEAR, "claimed near the engine"
                assert j not in by_copy
                by_copy.add(j)
            mine = claims.engine_at(page.file.src_uri)
            assert mine == (i not in by_copy)
            engine_converts += mine
        assert list(copy) == [], "nothing left to claim behind the engine"
        assert engine_converts + len(by_copy) == len(pages)
        claims.close()
    assert claims.engine_at("not-a-page.md"), "a page the claims do not know is the engine's"


def test_the_engine_and_its_writing_copy_meet_and_pass_over_no_page():
    """The engine takes pages from the first one up, the copy from the last one down; however
    they go on, every page is taken, by one of them (or by both, where they meet)."""
    import random
    from types import SimpleNamespace

    from generator.page_cache import _Meeting

    pages = [SimpleNamespace(file=SimpleNamespace(src_uri=f"p{i}.md")) for i in range(50)]
    for seed in range(30):
        rng = random.Random(seed)
        meeting = _Meeting(pages)
        copy = meeting.for_copy()
        by_engine, by_copy = set(), set()
        for i, page in enumerate(pages):
            for _ in range(rng.choice([0, 1, 1, 3])):
                j = next(copy, None)
                if j is None:
                    break
                by_copy.add(j)
                meeting.copy_done(j)
            if meeting.engine_takes(page.file.src_uri):
                by_engine.add(i)
        by_copy.update(copy)
        assert by_engine | by_copy == set(range(50)) and not by_engine & by_copy
        assert by_copy == set(meeting.copy_took())
        assert by_engine == set(range(len(by_engine))), "the engine's pages come first"
        meeting.close()


def test_a_writing_copy_that_dies_midway_leaves_its_pages_to_the_engine(
    staged, tmp_path, monkeypatch
):
    import os

    from generator import page_cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    engine = os.getpid()
    real_build_page = page_cache._build_page
    written = []

    def dies_on_its_fourth_page(*args, **kwargs):
        if os.getpid() != engine:
            written.append(1)
            if len(written) == 4:
                os._exit(3)
        return real_build_page(*args, **kwargs)

    monkeypatch.setattr(page_cache, "_build_page", dies_on_its_fourth_page)
    _engine_slowed(monkeypatch)
    two = _build_docs(staged, tmp_path / "two", parallel=True)
    assert two.rendered_for_copy == 4, "the copy took four pages, the engine rendered them"
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _build_docs(staged, tmp_path / "plain")
    assert digests(tmp_path / "plain") == digests(tmp_path / "two")
