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
from collections.abc import Collection
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

    def move_into(self, site: Path, leave_out: Collection[str] = ()) -> dict[str, str]:
        """Wait for the files, put them into `site` but those to `leave_out` (the engine's
        settings exclude them from the site); their SHA-256 by path."""
        digests = self._copy.result() if self._copy is not None else None
        self._copy = None  # reaped (an interrupt during the wait leaves it to `cancel`)
        left_out = set(leave_out)
        if digests is None or set(digests) != set(self.later.paths):
            made = self.later.make()
            return _write({p: data for p, data in made.items() if p not in left_out}, site)
        for path in self.later.paths:
            if path in left_out:
                continue
            target = os.path.join(site, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(self.folder, path), target)
        return {p: digest for p, digest in digests.items() if p not in left_out}

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
