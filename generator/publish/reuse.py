"""What a previous build published, so that a rebuild keeps what did not change.

After each build the cache keeps, for that output folder, every file the build wrote: the part
of the site it came from and that part's inputs (`generator.render.inputs`), its SHA-256, the
file's identity on disk (inode, size, modification time) and, for a page, the shell it was
filled into and its anchors. A rebuild makes a part again unless its inputs, its shells and its
files on disk are all as they were; then the files are linked into the new site as they are.

**Why** the identity on disk and not the bytes: reading the site again would cost what making
it costs; a file changed on disk since it was written has another modification time, and is
then made again. The record lives in the user's cache folder (`generator.cache`), never in the
checkout; a build without a cache (`--no-cache`, the deploy build) neither reads nor writes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass
class Written:
    """A file the build put into the site."""

    digest: str
    inode: int
    size: int
    mtime_ns: int
    page: str | None = None
    """For a page: its path (`projects/MN003.md`)."""
    probe: str | None = None
    """For a page: the probe of the shell it was filled into."""
    shell: str | None = None
    """For a page: that shell's digest."""
    ids: list[str] = field(default_factory=list)
    """For a page: its anchors."""

    def to_json(self) -> list[Any]:
        return [
            self.digest,
            self.inode,
            self.size,
            self.mtime_ns,
            self.page,
            self.probe,
            self.shell,
            self.ids,
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Written:
        return cls(*row)

    def still_there(self, path: Path) -> bool:
        try:
            now = os.stat(path)
        except OSError:
            return False
        return (now.st_ino, now.st_size, now.st_mtime_ns) == (self.inode, self.size, self.mtime_ns)


@dataclass
class SiteRecord:
    """One build of one output folder: its parts (key and files) and the hand-written pages'
    and the theme's files (their paths only: made again by every build)."""

    parts: dict[str, tuple[str, dict[str, Written]]] = field(default_factory=dict)
    engine_files: list[str] = field(default_factory=list)

    def targets(self) -> set[str]:
        """Every file of the site and every anchor of its pages (`page#anchor`)."""
        found = set(self.engine_files)
        for _key, files in self.parts.values():
            for path, written in files.items():
                found.add(path)
                found.update(f"{path}#{i}" for i in written.ids)
        return found


def _where(directory: Path, out: Path) -> Path:
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:20]
    return directory / "sites" / f"{name}.json"


def load(directory: Path | None, out: Path) -> SiteRecord | None:
    """The record of the last build into `out`, if the cache in `directory` holds one."""
    if directory is None:
        return None
    try:
        data = json.loads(_where(directory, out).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    try:
        return SiteRecord(
            parts={
                name: (key, {p: Written.from_json(w) for p, w in files.items()})
                for name, (key, files) in data["parts"].items()
            },
            engine_files=list(data["engine_files"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def save(directory: Path | None, out: Path, record: SiteRecord) -> None:
    """Keep the record of this build (a cache that cannot be written is passed over)."""
    if directory is None:
        return
    path = _where(directory, out)
    data = {
        "version": VERSION,
        "out": str(out.resolve()),
        "parts": {
            name: [key, {p: w.to_json() for p, w in files.items()}]
            for name, (key, files) in record.parts.items()
        },
        "engine_files": record.engine_files,
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


def forget(directory: Path | None, out: Path) -> None:
    """Drop the record of `out` (its site is about to change outside a build's control)."""
    if directory is not None:
        with contextlib.suppress(OSError):
            _where(directory, out).unlink()
