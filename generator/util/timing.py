"""Timing the stages (for the benchmark) and running them without the cyclic collector."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a stage without the cyclic garbage collector.

    **Why:** a registry is hundreds of thousands of small objects that all stay alive; the
    collector would scan them again and again while they are built (a third of the load time
    at 10,000 projects) and find nothing to free. What the stage leaves alive is then frozen
    (moved out of the collector's sight) rather than scanned once more on the way out.
    Reference counting still frees everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class Clock:
    """Laps of wall time into a dict (or nowhere): the benchmark's view of the stages."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str | None = None) -> None:
        now = time.perf_counter()
        if self.timings is not None and name:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now
