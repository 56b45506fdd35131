"""Publish stage: pages → a complete static site, swapped in whole or not at all.

The site engine (mkdocs-material) builds into a staging folder beside the output; only a
finished build replaces the previous site. **Why**: a failed or interrupted build must leave the
previous `site/` exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

_RENAME_EXCHANGE = 2


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


def build_site(root: Path, pages: Mapping[str, str], out: Path) -> Path:
    """Write `pages` (and the hand-written `content/`) and build the site into `out`."""
    project = site_project(root)
    recover(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jcm-build-", dir=out.parent))
    try:
        docs = staging / "docs"
        content = project / "content"
        if content.is_dir():
            shutil.copytree(content, docs)
        for rel, text in sorted(pages.items()):
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        site = staging / "site"
        config = load_config(
            str(project / "mkdocs.yml"),
            docs_dir=str(docs),
            site_dir=str(site),
            strict=True,
        )
        mkdocs_build(config)
        swap_in(site, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
