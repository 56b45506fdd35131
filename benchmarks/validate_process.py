"""`jcm validate --no-cache` as a user runs it, against a whole-process floor: a fresh Python that
reads and parses every YAML file of the registry with PyYAML's C loader, keeping nothing.
Both are timed as whole processes (start-up, imports and all), each the best of `REPEATS` runs
on a warm file cache. Prints JSON.

`python -m benchmarks.validate_process ROOT`
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPEATS = 3

FLOOR = """
import os, sys, yaml
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the registry has errors, which is a result
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds


def main(root: Path) -> dict:
    jcm = str(Path(sys.executable).parent / "jcm")
    for path in (root / "data").rglob("*"):  # a warm file cache for both
        if path.is_file():
            path.read_bytes()
    floor = min(timed([sys.executable, "-c", FLOOR, str(root / "data")]) for _ in range(REPEATS))
    validate = min(
        timed([jcm, "validate", "--root", str(root), "--no-cache"]) for _ in range(REPEATS)
    )
    return {
        "floor_seconds": floor,
        "validate_seconds": validate,
        "ratio": validate / floor,
        "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), indent=1))
