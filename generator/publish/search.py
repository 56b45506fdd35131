"""The search index: Pagefind, run on the finished site (its command-line program, from the
`pagefind` package)."""

from __future__ import annotations

import subprocess
import sys
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
        [
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
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SearchError("the search indexer failed:\n" + done.stderr[-4000:])
