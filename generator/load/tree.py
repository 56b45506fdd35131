"""The files of a registry: from a working tree on disk, or from a git revision.

**Why** an interface: `jcm diff` reads two revisions straight from git without checking them
out, and the loader must not care where the bytes come from.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Entry:
    path: str
    """Posix path relative to the registry root, e.g. `data/projects/MN003/project.yaml`."""
    size: int
    symlink: bool = False


class SourceTree(Protocol):
    label: str

    def entries(self) -> Iterator[Entry]:
        """Every file under `data/`, sorted by path."""
        ...

    def read(self, path: str) -> bytes: ...


class WorkingTree:
    """The files under `<root>/data` on disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.label = str(self.root)

    def entries(self) -> Iterator[Entry]:
        base = self.root / "data"
        if not base.is_dir():
            return
        found: list[Entry] = []
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in list(dirnames):
                full = Path(dirpath, name)
                if full.is_symlink():
                    found.append(Entry(f"{rel_dir}/{name}", 0, symlink=True))
                    dirnames.remove(name)
            for name in filenames:
                if name == ".gitkeep":
                    continue
                full = Path(dirpath, name)
                link = full.is_symlink()
                size = 0 if link else full.stat().st_size
                found.append(Entry(f"{rel_dir}/{name}", size, symlink=link))
        yield from sorted(found, key=lambda e: e.path)

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()


class GitTree:
    """The files under `data/` at one git revision, read from the object store."""

    def __init__(self, repo_path: Path, rev: str) -> None:
        import git  # gitpython: imported here so plain validation does not need git

        self.repo = git.Repo(repo_path, search_parent_directories=True)
        self.commit = self.repo.commit(rev)
        self.label = f"{rev} ({self.commit.hexsha[:10]})"
        self._blobs = {}
        try:
            tree = self.commit.tree / "data"
        except KeyError:
            return
        for item in tree.traverse():
            if item.type == "blob":
                self._blobs[item.path] = item

    def entries(self) -> Iterator[Entry]:
        for path in sorted(self._blobs):
            blob = self._blobs[path]
            if path.rsplit("/", 1)[-1] == ".gitkeep":
                continue
            yield Entry(path, blob.size, symlink=blob.mode == 0o120000)

    def read(self, path: str) -> bytes:
        return self._blobs[path].data_stream.read()


class OverlayTree:
    """A tree with some files added or replaced in memory (e.g. a record about to be written)."""

    def __init__(self, base: SourceTree, extra: dict[str, bytes]) -> None:
        self.base = base
        self.extra = extra
        self.label = f"{base.label} (+{len(extra)} new)"

    def entries(self) -> Iterator[Entry]:
        seen = {}
        for entry in self.base.entries():
            seen[entry.path] = entry
        for path, raw in self.extra.items():
            seen[path] = Entry(path, len(raw))
        yield from (seen[p] for p in sorted(seen))

    def read(self, path: str) -> bytes:
        if path in self.extra:
            return self.extra[path]
        return self.base.read(path)
