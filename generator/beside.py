"""The data files (`generator.render.site.DataFiles`) made beside the site engine.

A forked copy of the build, at the lowest priority, makes them and writes them into a folder of
the staging area while the engine and Pagefind run; the build then moves them into the site.
**Why:** no page is made from them (the engine only needs to know that they exist, for the
links to them), and the engine and Pagefind leave a core idle at times (while the engine reads
its files, at the end of each of its halves, while Pagefind writes its index): the copy,
at the lowest priority, takes only what they leave. At 10,000 projects they are 16 s of work
the render stage did on one of its two cores.

Without a copy (no fork, or it failed), the build makes them itself when it moves them in, so
that an error is raised here as it would have been in the render stage.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from generator.forked import Forked, can_fork
from generator.render.site import DataFiles


class Beside:
    """The data files being made in a forked copy (or, without one, not yet made)."""

    def __init__(self, later: DataFiles, folder: Path) -> None:
        self.later = later
        self.folder = folder
        self._copy = Forked(self._make_in_copy) if can_fork() else None

    def _make_in_copy(self) -> dict[str, str]:
        """In the copy: the files written into the folder; their digests sent back."""
        os.nice(19)
        return _write(self.later.make(), self.folder)

    def move_into(self, site: Path) -> dict[str, str]:
        """Wait for the files, put them into `site`; their SHA-256 by path."""
        copy, self._copy = self._copy, None
        digests = copy.result() if copy is not None else None
        if digests is None or set(digests) != set(self.later.paths):
            return _write(self.later.make(), site)
        for path in self.later.paths:
            target = os.path.join(site, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(self.folder, path), target)
        return digests

    def cancel(self) -> None:
        """Stop the copy (the build is leaving on an error or an interrupt)."""
        if self._copy is not None:
            self._copy.cancel()
            self._copy = None


def _write(files: dict[str, bytes], folder: Any) -> dict[str, str]:
    digests = {}
    made: set[str] = set()
    for path, data in files.items():
        target = os.path.join(folder, path)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(target, "wb") as out:
            out.write(data)
        digests[path] = hashlib.sha256(data).hexdigest()
    return digests
