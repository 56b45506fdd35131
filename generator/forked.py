"""Work done in a forked copy of this process, on the machine's other core.

`Forked(work)` forks; the copy runs `work()` and sends back its result (pickled, through a
pipe); `result()` waits for it. A copy that fails or dies gives no result: the caller then does
the work itself, so that an error is raised (and reported) where it would have been without
the copy. **Why fork**: the work reads the whole validated registry, which a forked copy
shares as it is, where a pool would pickle it over.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1
_NOTHING = object()
_live: set[int] = set()  # this process's copies not yet reaped
_STOPS = {signal.SIGINT, signal.SIGTERM}


def can_fork() -> bool:
    """True where a copy can run beside this process (a POSIX system with two cores or more)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def fork() -> int:
    """os.fork, with the copy killed when this process dies (Linux): an interrupted build must
    leave no copy working on its own."""
    parent = os.getpid()
    gc.freeze()  # the copy shares this process's memory instead of touching every object
    # an interrupt between the fork and the copy's registration would miss the copy
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - in the copy
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
                libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            except (OSError, AttributeError):
                pass
            if os.getppid() != parent:
                os._exit(1)
            _live.clear()  # the parent's copies are not this copy's children
            return 0
        gc.unfreeze()
        _live.add(pid)
        return pid
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def reap(pid: int, kill: bool = False) -> int | None:
    """Wait for a copy to end (killing it first if `kill`); its exit code, or None if it was
    already reaped. Once this returns, the copy writes nothing more."""
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    finally:
        _live.discard(pid)
    return os.waitstatus_to_exitcode(status)


def stop_copies() -> None:
    """Kill and reap every copy of this process still running.

    **Why:** a copy killed only through its parent's death may still be writing into a
    staging folder while the interrupted build removes it; reaped, it is gone for sure."""
    for pid in sorted(_live):
        reap(pid, kill=True)


class Forked:
    """`work()` run in a forked copy; `result()` is its value, or `default` if it gave none."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read, write = os.pipe()
        self.pid = fork()
        if self.pid == 0:  # pragma: no cover - in the copy, whose end is os._exit
            os.close(read)
            code = 1
            try:
                value = work()
                with os.fdopen(write, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._value: Any = _NOTHING
        self._stream = os.fdopen(read, "rb")
        # read as the copy writes, so that it never waits on a full pipe
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        with contextlib.suppress(EOFError, OSError, pickle.UnpicklingError, ValueError):
            self._value = pickle.load(self._stream)

    def result(self, default: Any = None) -> Any:
        self._reader.join()
        self._stream.close()
        if reap(self.pid) != 0 or self._value is _NOTHING:
            return default
        return self._value

    def cancel(self) -> None:
        """Kill the copy and reap it (an interrupted caller leaves no copy behind)."""
        reap(self.pid, kill=True)
        self._reader.join(timeout=5)
        self._stream.close()
