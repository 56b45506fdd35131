"""The finished site takes the place of the previous one, whole or not at all."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
import time
from pathlib import Path

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


def remove_staging(staging: Path, tries: int = 5) -> None:
    """Remove a staging folder, trying again if something was still writing into it."""
    for attempt in range(tries):
        shutil.rmtree(staging, ignore_errors=True)
        if not staging.exists():
            return
        time.sleep(0.05 * (attempt + 1))


OWNER = "owner.pid"
"""The file in a staging folder that names the process building in it."""


def staging_folder(parent: Path) -> Path:
    """A new staging folder beside the output, marked with this process's id."""
    staging = Path(tempfile.mkdtemp(prefix=".jcm-build-", dir=parent))
    (staging / OWNER).write_text(str(os.getpid()))
    return staging


def remove_abandoned(parent: Path) -> None:
    """Remove the staging folders of builds whose process has ended without removing them
    (killed, or the machine stopped); a folder of a build still running is left alone."""
    for folder in parent.glob(".jcm-build-*"):
        try:
            pid = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not marked: not known to be abandoned
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and is another user's
        return True
    return True
