"""Publish stage: pages and files → a complete static site, swapped in whole or not at all.

The site engine (mkdocs-material) builds into a staging folder beside the output; Pagefind
indexes it; a manifest of SHA-256 digests is written; only then does the finished site replace
the previous one. **Why**: a failed or interrupted build must leave the previous `site/`
exactly as it was, and the same commit must build the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.forked import Forked, can_fork
from generator.history import History
from generator.pipeline import Clock
from generator.render.views import SiteConfig

if TYPE_CHECKING:
    from generator.render.site import DataFiles

_RENAME_EXCHANGE = 2


class PublishError(RuntimeError):
    """The site engine or the search indexer failed (the previous site is untouched)."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, target: Path) -> None:
    """Make `new` the content of `target`, atomically where the system allows it."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new)
        return
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    if old.exists():
        shutil.rmtree(old)


def recover(target: Path) -> None:
    """Finish a swap an interruption left half done (only on systems without exchange)."""
    old = target.with_name(target.name + ".old")
    if old.exists() and not target.exists():
        os.rename(old, target)


def site_project(root: Path) -> Path:
    """The folder holding mkdocs.yml, content/ and site_overrides/ for a registry root.

    A registry root may carry its own (an operator's fork); a bare data folder (a test fixture,
    a synthetic registry) is built with this repository's.
    """
    if (root / "mkdocs.yml").is_file():
        return root
    return Path(__file__).resolve().parents[1]


def site_config(root: Path) -> SiteConfig:
    """The operator's settings from mkdocs.yml (`extra`): notice, repository, branch."""
    config = yaml.safe_load((site_project(root) / "mkdocs.yml").read_text("utf-8")) or {}
    extra = config.get("extra") or {}
    repository = str(extra.get("repository") or "")
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        repository = f"{server}/{os.environ['GITHUB_REPOSITORY']}"
    return SiteConfig(
        repository=repository,
        branch=str(extra.get("branch") or "main"),
        notice=str(extra.get("data_notice") or ""),
        site_name=str(config.get("site_name") or "JCM Registry"),
    )


def stage_content(project: Path, docs: Path) -> Path:
    """The engine's docs folder with the hand-written content only (the generated pages and
    files reach the engine in a bundle: `write_bundle`)."""
    content = project / "content"
    if content.is_dir():
        shutil.copytree(content, docs)
    docs.mkdir(parents=True, exist_ok=True)
    return docs


def write_bundle(
    pages: Mapping[str, str],
    files: Mapping[str, bytes],
    path: Path,
    elsewhere: Collection[str] = (),
) -> Path:
    """The generated pages and files in one file, which the site engine adds to the docs folder
    in memory (`generator.page_cache.add_generated`), with the paths of the files put into the
    site by others (`generator.beside`: the engine knows them, for the links to them, and
    writes nothing there). **Why:** at 10,000 projects they are 58,000 files; writing each
    into the staging folder, linking it into the site and removing it took longer than
    converting a fifth of the pages."""
    with open(path, "wb") as out:
        pickle.dump(
            (dict(pages), dict(files), list(elsewhere)), out, protocol=pickle.HIGHEST_PROTOCOL
        )
    return path


def stage_docs(
    project: Path, pages: Mapping[str, str], files: Mapping[str, bytes], docs: Path
) -> Path:
    """The docs folder as the engine sees it, written out whole: the hand-written content,
    then the generated pages and files (for tests and tools; builds use `write_bundle`)."""
    stage_content(project, docs)
    for rel, text in sorted(pages.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, data in sorted(files.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return docs


def build_site(
    root: Path,
    pages: Mapping[str, str],
    files: Mapping[str, bytes],
    out: Path,
    history: History | None = None,
    inputs: Mapping[str, str] | None = None,
    timings: dict[str, float] | None = None,
    page_cache: Path | None = None,
    later: DataFiles | None = None,
) -> Path:
    """Write the pages, files and hand-written content; build, index, digest; swap in.

    `timings`, when given, receives the seconds each step took (for the benchmark);
    `page_cache`, a cache folder, lets the engine reuse the conversions of unchanged pages;
    `later`, data files to make beside the engine (`generator.beside`)."""
    from generator.beside import Beside

    clock = Clock(timings)
    project = site_project(root)
    recover(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jcm-build-", dir=out.parent))
    beside = None
    try:
        docs = stage_content(project, staging / "docs")
        elsewhere = later.paths if later is not None else ()
        bundle = write_bundle(pages, files, staging / "generated.pickle", elsewhere)
        clock.lap("write")
        if later is not None:
            beside = Beside(later, staging / "beside")
        site = staging / "site"
        counts = _engine(project, docs, site, history, page_cache, bundle)
        clock.lap("site engine")
        not_published = counts.pop("not published", [])
        if timings is not None:
            timings.update(counts)
        hashing = _Hashing(site, skip=SEARCH_FOLDER)  # while Pagefind works
        try:
            search_index(site)
        except BaseException:
            hashing.stop()
            raise
        engine_files = hashing.result()
        clock.lap("search index")
        made_beside = beside.move_into(site, not_published) if beside is not None else {}
        clock.lap("data files made beside the engine (the wait)")
        published = {**engine_files, **made_beside, **_published(site, SEARCH_FOLDER)}
        _manifest(site, history, inputs or {}, published)
        swap_in(site, out)
        clock.lap("manifest and swap")
    finally:
        if beside is not None:
            beside.cancel()
        remove_staging(staging)
    return out


def remove_staging(staging: Path, tries: int = 5) -> None:
    """Remove a staging folder, trying again if something was still writing into it (an
    engine killed without its leave: its copies die a moment after it)."""
    for attempt in range(tries):
        shutil.rmtree(staging, ignore_errors=True)
        if not staging.exists():
            return
        time.sleep(0.05 * (attempt + 1))


def _engine(
    project: Path,
    docs: Path,
    site: Path,
    history: History | None,
    page_cache: Path | None,
    bundle: Path,
) -> dict[str, Any]:
    """Run mkdocs in a child process (strict), with the build date taken from git; returns
    how many pages it converted and reused when it has a page cache, and which of the files
    made by others its settings leave out of the site (`not published`)."""
    env = dict(os.environ)
    stamp = int(history.data_date.timestamp()) if history and history.data_date else 0
    env["SOURCE_DATE_EPOCH"] = str(stamp)
    args = [str(project / "mkdocs.yml"), str(docs), str(site), "--generated", str(bundle)]
    if page_cache is not None:
        args.append(str(page_cache))
    code, stdout, stderr = run_child(
        [sys.executable, "-m", "generator.site_engine", *args], env=env, ask_first=True
    )
    if code != 0:
        raise PublishError("the site engine failed:\n" + stderr[-4000:])
    lines = stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}


def run_child(
    args: list[str], env: Mapping[str, str] | None = None, ask_first: bool = False
) -> tuple[int, str, str]:
    """Run a child process to its end: its exit code, output and error output.

    Interrupted (Ctrl-C, SIGTERM), the child is stopped and waited for before the interrupt
    goes on: asked first when `ask_first` (the site engine then kills and reaps its forked
    copies), killed if it does not end. **Why:** `subprocess.run` waits only a quarter of a
    second for a child it killed on Ctrl-C, and a child still writing into the staging folder
    while the build removes it leaves a folder behind."""
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        stdout, stderr = child.communicate()
    except BaseException:
        stop_child(child, patience=10.0 if ask_first else 0.0)
        raise
    return child.returncode, stdout, stderr


def stop_child(child: subprocess.Popen[str], patience: float) -> None:
    """Ask a child to end (SIGTERM) and give it `patience` seconds; then kill it; reap it."""
    if patience > 0:
        with contextlib.suppress(ProcessLookupError):
            child.terminate()
        try:
            child.communicate(timeout=patience)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        child.kill()
    child.communicate()


SEARCH_FOLDER = "pagefind"

# Pagefind reads only the searchable part of each page (see `search_index`)
SEARCHED_PART = "[data-pagefind-body]"


def search_index(site: Path, root_selector: str = SEARCHED_PART) -> None:
    """Index the site's pages for Pagefind into its folder `SEARCH_FOLDER`.

    **Why** the root selector: every page marks its searchable part (`data-pagefind-body`:
    the record, or a hand-written page as a whole), and Pagefind then indexes only that part,
    but it still walks the theme's chrome around it (header, navigation, footer: half of a
    record page). Told to start at the marked part, it skips the chrome: the same index in
    less than half the time (17 s against 31 s at 10,000 projects). What it no longer sees:
    the `<title>` (its title is the first `h1`, inside the part) and `data-pagefind-meta` or
    `-filter` outside the part (the site has none). A test builds the index both ways and
    compares them file by file."""
    code, _out, stderr = run_child(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            "--output-subdir",
            SEARCH_FOLDER,
            "--root-selector",
            root_selector,
            "--include-characters",
            "_-",
            "--exclude-selectors",
            ".headerlink",
            "--quiet",
        ]
    )
    if code != 0:
        raise PublishError("the search indexer failed:\n" + stderr[-4000:])


def _sha256_of(path: str) -> str:
    """The file's SHA-256, read whole. **Why** not `hashlib.file_digest` on threads: a site is
    mostly small files, where its 256 KiB buffer per call and two threads taking turns on the
    interpreter cost five times the hashing (12 s against 2.4 s for 87,000 files, 1.1 GB)."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _digests(paths: list[str]) -> list[str]:
    """The files' SHA-256 digests, every other one hashed by a forked copy on the other core
    (by this process if the copy gives none)."""
    copy = Forked(lambda: [_sha256_of(path) for path in paths[1::2]]) if can_fork() else None
    try:
        mine = [_sha256_of(path) for path in paths[0::2]]
    except BaseException:
        if copy is not None:
            copy.cancel()
        raise
    theirs = copy.result() if copy is not None else None
    if theirs is None:
        theirs = [_sha256_of(path) for path in paths[1::2]]
    digests = [""] * len(paths)
    digests[0::2], digests[1::2] = mine, theirs
    return digests


def _site_files(site: Path, only: str | None = None, skip: str | None = None) -> list[str]:
    """The files under `site` (or its folder `only`, or all but its folder `skip`), sorted."""
    top = str(site / only) if only else str(site)
    paths = []
    for folder, dirs, names in os.walk(top):
        if skip and folder == top:
            dirs[:] = [d for d in dirs if d != skip]
        paths += [os.path.join(folder, name) for name in names]
    return sorted(paths)


def _published(site: Path, only: str) -> dict[str, str]:
    """The files of the site's folder `only` → their SHA-256."""
    paths = _site_files(site, only=only)
    return {
        Path(path).relative_to(site).as_posix(): digest
        for path, digest in zip(paths, _digests(paths), strict=True)
    }


class _Hashing:
    """The SHA-256 of the site's files (but the folder `skip`), taken on a thread while the
    caller waits for a child process. **Why:** Pagefind leaves part of both cores idle while
    it writes its index, and reading and hashing files holds the interpreter little."""

    def __init__(self, site: Path, skip: str) -> None:
        self.site = site
        self.skip = skip
        self.digests: dict[str, str] = {}
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for path in _site_files(self.site, skip=self.skip):
                if self._stop.is_set():
                    return
                relative = Path(path).relative_to(self.site).as_posix()
                self.digests[relative] = _sha256_of(path)
        except BaseException as exc:  # reported by result(), in the caller's thread
            self.error = exc

    def result(self) -> dict[str, str]:
        """The digests, once every file is hashed (an error of the thread raised here)."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.digests

    def stop(self) -> None:
        """Stop the thread at its next file and wait for it (it reads nothing after): the
        caller is leaving on an error."""
        self._stop.set()
        self._thread.join()


def _manifest(
    site: Path, history: History | None, inputs: Mapping[str, str], published: dict[str, str]
) -> None:
    published = dict(sorted(published.items()))
    manifest = {
        "commit": history.head.sha if history and history.head else None,
        "data_date": history.data_date.isoformat() if history and history.data_date else None,
        "inputs": dict(sorted(inputs.items())),
        "published": published,
    }
    (site / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
