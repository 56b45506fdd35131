"""The full `jcm build` of a registry, timed per stage in one fresh process; prints JSON.

`python -m benchmarks.site_build ROOT OUT CACHE_DIR`, CACHE_DIR `-` for a build without a cache.
A cache the stage benchmark filled is a warm validation cache, as on a machine that validated
before building; a cache that also holds the record of a previous build into OUT makes this a
rebuild (the parts whose inputs did not change are kept).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

from generator.pipeline import build
from generator.util.cache import Cache


class ChildPeaks:
    """The peak memory (VmHWM) of every process this one starts, read while they run.

    **Why** not `getrusage(RUSAGE_CHILDREN)`: a child started by vfork reports the parent's
    memory as its own peak."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            for pid in _descendants(me):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kib = max(self.peak_kib, int(line.split()[1]))


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid]
        found += children
        frontier += children
    return found


def main(root: Path, out: Path, cache_dir: Path | None) -> dict:
    stages: dict[str, float] = {}
    start = time.perf_counter()
    with ChildPeaks() as children:
        result = build(root, out, Cache(cache_dir) if cache_dir else None, stages)
    seconds = time.perf_counter() - start
    if result.site is None:
        raise SystemExit("the registry has errors: nothing was built")
    return {
        "seconds": seconds,
        "stages": stages,
        "parts_made": result.made,
        "parts_kept": result.kept,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_mib_indexer": children.peak_kib / 1024,
    }


if __name__ == "__main__":
    cache = None if sys.argv[3] == "-" else Path(sys.argv[3])
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), cache), indent=1))
