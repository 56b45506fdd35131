"""One registry's validation stages, timed in one fresh process, against the YAML parse floor.

Run by `benchmarks/run.py` (`python -m benchmarks.stages ROOT CACHE_DIR`); prints JSON.

Order matters and is fixed: every file is read once before anything is timed (so the operating
system's file cache is equally warm for the floor and for the generator), then the floor, then
the generator cold (no cache), cold while filling the cache, and warm (from the cache).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import yaml

from generator.load.records import load_registry
from generator.load.tree import WorkingTree
from generator.pipeline import validate_tree
from generator.util.cache import Cache
from generator.util.timing import paused_gc


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def files_of(root: Path) -> list[Path]:
    out = []
    for folder, _dirs, names in os.walk(root / "data"):
        out += [Path(folder, n) for n in names]
    return sorted(out)


def parse_floor(paths: list[Path]) -> float:
    """Read and parse every YAML file with PyYAML's C loader, keeping nothing: the floor."""
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def yaml_only(path: str) -> bool:
    return not path.endswith(".xlsx")


def workbooks_only(path: str) -> bool:
    return path.endswith(".xlsx") or "." not in path.rsplit("/", 1)[-1]


def timed_validation(root: Path, cache: Cache | None, select) -> dict:
    stages: dict[str, float] = {}
    start = time.perf_counter()
    result = validate_tree(WorkingTree(root, select), cache, stages)
    total = time.perf_counter() - start
    return {
        "seconds": total,
        "stages": stages,
        "records": len(result.loaded.all_records()),
        "findings": len(result.findings),
        "peak_mib_so_far": peak_mib(),
    }


def timed_workbooks(root: Path, cache: Cache | None) -> dict:
    start = time.perf_counter()
    with paused_gc():
        loaded = load_registry(WorkingTree(root, workbooks_only), cache)
    seconds = time.perf_counter() - start
    count = sum(1 for p in loaded.blobs if p.endswith(".xlsx"))
    return {
        "seconds": seconds,
        "workbooks": count,
        "ms_per_workbook": 1000 * seconds / count if count else None,
    }


def main(root: Path, cache_dir: Path) -> dict:
    shutil.rmtree(cache_dir, ignore_errors=True)
    paths = files_of(root)
    for path in paths:  # warm the file cache for everyone
        path.read_bytes()
    yaml_paths = [p for p in paths if p.suffix == ".yaml"]
    floor = parse_floor(yaml_paths)
    out: dict = {
        "yaml_files": len(yaml_paths),
        "workbooks": len(paths) - len(yaml_paths),
        "yaml_parse_floor_seconds": floor,
    }
    out["yaml_validate_no_cache"] = timed_validation(root, None, yaml_only)
    out["yaml_validate_filling_cache"] = timed_validation(root, Cache(cache_dir), yaml_only)
    out["yaml_validate_warm_cache"] = timed_validation(root, Cache(cache_dir), yaml_only)
    out["workbooks_no_cache"] = timed_workbooks(root, None)
    out["workbooks_filling_cache"] = timed_workbooks(root, Cache(cache_dir))
    out["workbooks_warm_cache"] = timed_workbooks(root, Cache(cache_dir))
    out["all_files_warm_cache"] = timed_validation(root, Cache(cache_dir), None)
    out["peak_mib"] = peak_mib()
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
