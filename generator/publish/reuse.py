"""What a previous build published, so that a rebuild keeps what did not change.

After each build the cache keeps, for that output folder, every file the build wrote: the part
of the site it came from and that part's inputs (`generator.render.inputs`), its SHA-256, the
file's identity on disk (inode, size, modification time) and, for a page, the shell it was
filled into and its anchors. A rebuild makes a part again unless its inputs, its shells and its
files on disk are all as they were; then the files are linked into the new site as they are.

**Why** the identity on disk and not the bytes: reading the site again would cost what making
it costs; a file changed on disk since it was written has another modification time, and is
then made again. The record lives in the user's cache folder (`generator.util.cache`), never in the
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

VERSION = 2


@dataclass(slots=True)
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
    """For a page: the anchors of its article (its shell's are the shell's)."""
    links: list[str] = field(default_factory=list)
    """Where its links lead (`file#anchor`): a page's article's out of the page, a data file's
    rows' (a table the site's script draws), so that a rebuild checks them without reading the
    file again."""

    def to_json(self, table: dict[str, int]) -> list[Any]:
        def indexes(strings: list[str]) -> list[int]:
            return [table.setdefault(x, len(table)) for x in strings]

        row: list[Any] = [self.digest, self.inode, self.size, self.mtime_ns]
        if self.page is not None or self.links:
            row += [self.page, self.probe, self.shell, indexes(self.ids), indexes(self.links)]
        return row

    @classmethod
    def from_json(cls, row: list[Any], table: list[str]) -> Written:
        written = cls(*row[:4])
        if len(row) > 4:
            written.page, written.probe, written.shell = row[4:7]
            written.ids = [table[i] for i in row[7]]
            written.links = [table[i] for i in row[8]]
        return written

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
        table = data["strings"]
        return SiteRecord(
            parts={
                name: (key, {p: Written.from_json(w, table) for p, w in files.items()})
                for name, (key, files) in data["parts"].items()
            },
            engine_files=list(data["engine_files"]),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def save(directory: Path | None, out: Path, record: SiteRecord) -> None:
    """Keep the record of this build (a cache that cannot be written is passed over)."""
    if directory is None:
        return
    path = _where(directory, out)
    table: dict[str, int] = {}  # anchors and links repeat from page to page: each kept once
    parts = {
        name: [key, {p: w.to_json(table) for p, w in files.items()}]
        for name, (key, files) in record.parts.items()
    }
    data = {
        "version": VERSION,
        "out": str(out.resolve()),
        "parts": parts,
        "engine_files": record.engine_files,
        "strings": list(table),
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(temporary, path)
