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


def can_fork() -> bool:
    """True where a copy can run beside this process (a POSIX system with two cores or more)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def fork() -> int:
    """os.fork, with the copy killed when this process dies (Linux): an interrupted build must
    leave no copy working on its own."""
    parent = os.getpid()
    gc.freeze()  # the copy shares this process's memory instead of touching every object
    pid = os.fork()
    if pid == 0:  # pragma: no cover - in the copy
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:
            os._exit(1)
        return 0
    gc.unfreeze()
    return pid


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
        status = 1
        with contextlib.suppress(ChildProcessError):
            _pid, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or self._value is _NOTHING:
            return default
        return self._value

    def cancel(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.result()
