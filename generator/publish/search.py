"""The search index: Pagefind, run on the finished site (its command-line program, from the
`pagefind` package)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

FOLDER = "pagefind"

SEARCHED_PART = "[data-pagefind-body]"
"""Pagefind reads only each page's searchable part (see `index`)."""


class SearchError(RuntimeError):
    """Pagefind failed (the previous site is untouched)."""


def index(site: Path, root_selector: str = SEARCHED_PART) -> None:
    """Index the site's pages into its folder `FOLDER`.

    **Why** the root selector: every page marks its searchable part (`data-pagefind-body`: the
    record, or a hand-written page as a whole), and Pagefind then indexes only that part, but
    it still walks the theme's chrome around it. Told to start at the marked part, it skips
    the chrome: the same index in less than half the time. What it no longer sees: the
    `<title>` (its title is the first `h1`, inside the part) and `data-pagefind-meta` or
    `-filter` outside the part (the site has none)."""
    done = subprocess.run(
        _command(site, root_selector), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SearchError("the search indexer failed:\n" + done.stderr[-4000:])


def _command(site: Path, root_selector: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        FOLDER,
        "--root-selector",
        root_selector,
        "--include-characters",
        "_-",
        "--exclude-selectors",
        ".headerlink",
        "--quiet",
    ]


class Indexer:
    """Pagefind indexing the site in its own process while this one goes on (it reads only the
    site's pages, which are all written when it starts). **Why:** the indexer and the writing
    of the downloads each leave a core idle; side by side they take the time of the longer."""

    def __init__(self, site: Path) -> None:
        self.seconds = 0.0
        """How long the indexer ran (once it has ended)."""
        self._started = time.perf_counter()
        self._process = subprocess.Popen(
            _command(site, SEARCHED_PART),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._errors = ""
        try:
            self._ended = threading.Thread(target=self._reap, daemon=True)
            self._ended.start()
        except BaseException:  # interrupted here: no indexer is left writing into the site
            self._process.kill()
            self._process.wait()
            raise

    def _reap(self) -> None:
        _out, self._errors = self._process.communicate()
        self.seconds = time.perf_counter() - self._started

    def wait(self) -> None:
        """Wait for the index; a failure of the indexer is a `SearchError`."""
        self._ended.join()
        if self._process.returncode != 0:
            raise SearchError("the search indexer failed:\n" + (self._errors or "")[-4000:])

    def stop(self) -> None:
        """End the indexer if it still runs (the build is leaving on an error)."""
        if self._process.poll() is None:
            self._process.kill()
        self._ended.join()
