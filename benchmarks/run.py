"""The benchmark: synthetic registries of 100, 1,000 and 10,000 projects, each stage timed, and
every ratio taken against a floor measured in the same run on the same machine.

    .venv/bin/python -m benchmarks.run [--sizes 100,1000,10000] [--out benchmarks/results]

Each measurement runs in a fresh process (so peak memory is that stage's own); results are
written as JSON and as a Markdown table under `--out`, named by the time of the run, so runs
can be compared. Not part of the test suite: the three sizes take 15 to 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
PAGE_LIMIT = 200 * 1024
VALIDATION_STAGES = {
    "load",
    "link",
    "fold decisions",
    "compute",
    "rules",
    "totals and coverage",
    "cache partition summaries",
}
PAGEFIND = "search index (Pagefind, its own time beside the rest)"
TARGETS = {
    "validate_process_ratio": 2.0,
    "changed_since_seconds": 2.0,
    "build_cold_ratio": 0.8,
    "build_warm_ratio": 0.6,
    "rebuild_ratio": 0.4,
    "search_first_results_ms": 1000,
    "search_transfer_bytes": 1024 * 1024,
    "peak_mib": 1024,
    "page_kib": 200,
}


def run_json(*args: str, cwd: Path = REPO) -> dict | list:
    done = subprocess.run([PY, "-m", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def synthesize(root: Path, projects: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            PY,
            "-m",
            "generator.cli",
            "synth",
            str(root),
            "--projects",
            str(projects),
            "--seed",
            "2026",
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    seconds = time.perf_counter() - start
    (root / "faults.json").unlink(missing_ok=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(
        root, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qm", "base"
    )
    return seconds


def incremental(root: Path, cache: Path, repeats: int = 3) -> dict:
    """`jcm validate --changed-since HEAD` after one project's file changed, as a user runs it."""
    projects = sorted((root / "data/projects").glob("*/project.yaml"))
    target = projects[len(projects) // 2]
    original = target.read_text()
    target.write_text(original.replace("title: ", "title: Renamed ", 1))
    times, note = [], ""
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            done = subprocess.run(
                [
                    str(Path(PY).parent / "jcm"),
                    "validate",
                    "--root",
                    str(root),
                    "--changed-since",
                    "HEAD",
                    "--cache-dir",
                    str(cache),
                ],
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            note = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    finally:
        target.write_text(original)
    return {
        "changed": target.relative_to(root).as_posix(),
        "seconds_each": times,
        "seconds": statistics.median(times),
        "note": note,
    }


def rebuild(root: Path, out: Path, cache: Path) -> dict:
    """`jcm build` again into the same folder after one project's file changed and the change
    was committed, as on a merge: the cache holds the previous build's parsed files and its
    record of the site, so the parts whose inputs did not change are kept."""
    projects = sorted((root / "data/projects").glob("*/project.yaml"))
    target = projects[len(projects) // 2]
    target.write_text(target.read_text().replace("title: ", "title: Renamed ", 1))
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qam", "a")
    figures = run_json("benchmarks.site_build", str(root), str(out), str(cache))
    figures["changed"] = target.relative_to(root).as_posix()
    return figures


def site_stats(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"))
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages}
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in index)
    gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in index)
    largest = max(sizes.items(), key=lambda kv: kv[1])
    return {
        "html_pages": len(pages),
        "site_bytes": total,
        "largest_page": {"path": largest[0], "bytes": largest[1]},
        "pages_over_200kb": sorted(p for p, b in sizes.items() if b > PAGE_LIMIT),
        "search_index_files": len(index),
        "search_index_bytes": raw,
        "search_index_gzip_bytes": gz,
    }


def queries_for(root: Path) -> list[str]:
    projects = sorted(p.name for p in (root / "data/projects").iterdir())
    return ["solar", projects[len(projects) // 3], "Town 18"]


def run_size(n: int, work: Path, browser: bool) -> dict:
    base = work / f"n{n}"
    root, cache, site = base / "registry", base / "cache", base / "site"
    out: dict = {"projects": n}
    print(f"[{n}] synthesising", file=sys.stderr, flush=True)
    out["synth_seconds"] = synthesize(root, n)
    out["files"] = sum(1 for p in (root / "data").rglob("*") if p.is_file())
    print(f"[{n}] jcm validate --no-cache and its floor", file=sys.stderr, flush=True)
    out["validate_process"] = run_json("benchmarks.validate_process", str(root))
    print(f"[{n}] validation stages", file=sys.stderr, flush=True)
    out["validate"] = run_json("benchmarks.stages", str(root), str(cache))
    print(f"[{n}] incremental validation", file=sys.stderr, flush=True)
    out["incremental"] = incremental(root, cache)
    print(f"[{n}] site build, no cache", file=sys.stderr, flush=True)
    out["build_cold"] = run_json("benchmarks.site_build", str(root), str(base / "cold"), "-")
    shutil.rmtree(base / "cold", ignore_errors=True)
    print(f"[{n}] site build, warm validation cache", file=sys.stderr, flush=True)
    out["build"] = run_json("benchmarks.site_build", str(root), str(site), str(cache))
    out["site"] = site_stats(site)
    print(f"[{n}] rebuild after one project changed", file=sys.stderr, flush=True)
    out["rebuild"] = rebuild(root, site, cache)
    print(f"[{n}] floor site ({out['site']['html_pages'] - 1} pages)", file=sys.stderr, flush=True)
    out["floor_site"] = run_json(
        "benchmarks.site_floor", str(out["site"]["html_pages"] - 1), str(base / "floor")
    )
    if browser:
        print(f"[{n}] search in the browser", file=sys.stderr, flush=True)
        out["search"] = run_json("benchmarks.search", str(site), *queries_for(root))
    for run in ("build_cold", "build", "rebuild"):
        stages = out[run]["stages"]
        out[run]["validate_seconds"] = sum(
            seconds for stage, seconds in stages.items() if stage in VALIDATION_STAGES
        )
        out[run]["without_pagefind_seconds"] = out[run]["seconds"] - stages.get(
            "search index (the wait for what is left of it)", 0.0
        )
    out["site"]["pages_over_200kb_count"] = len(out["site"]["pages_over_200kb"])
    if out.get("search"):
        out["search_worst"] = {
            key: max(q[key] for q in out["search"])
            for key in ("first_results_ms", "next_query_ms", "first_query_transfer_bytes")
        }
    out["peak_bytes"] = 2**20 * max(
        out["validate_process"]["peak_mib"],
        *(out[run]["peak_mib"] for run in ("build_cold", "build", "rebuild")),
    )
    out["peak_bytes_indexer"] = 2**20 * max(
        out[run]["peak_mib_indexer"] for run in ("build_cold", "build", "rebuild")
    )
    v = out["validate"]
    floor = v["yaml_parse_floor_seconds"]
    site_floor = out["floor_site"]["seconds"]
    out["ratios"] = {
        "validate_no_cache": v["yaml_validate_no_cache"]["seconds"] / floor,
        "validate_warm_cache": v["yaml_validate_warm_cache"]["seconds"] / floor,
        "validate_process": out["validate_process"]["ratio"],
        "build_cold": out["build_cold"]["seconds"] / site_floor,
        "build_warm": out["build"]["seconds"] / site_floor,
        "rebuild": out["rebuild"]["seconds"] / site_floor,
        "rebuild_without_pagefind": out["rebuild"]["without_pagefind_seconds"] / site_floor,
    }
    shutil.rmtree(base / "floor", ignore_errors=True)
    return out


def machine() -> dict:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "benchmarks"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(pages / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "generator_commit": commit or None,
        # a run of uncommitted code says so: its figures belong to no commit
        "uncommitted_changes": bool(changed),
    }


def _s(x: float) -> str:
    return f"{x:,.2f} s"


def _ratio(x: float) -> str:
    return f"{x:.2f}×"


def _kb(x: float) -> str:
    return f"{x / 1024:,.0f} KB"


def _mib(x: float) -> str:
    return f"{x / 2**20:,.1f} MiB"


def _count(x: float) -> str:
    return f"{x:,}"


def _parts(run: dict) -> str:
    return f"{run.get('parts_kept', 0):,} / {run.get('parts_made', 0):,}"


def _ms(x: float) -> str:
    return f"{x:,.1f} ms"


# (label, where in a run's figures, format, target): the table, as data.
TABLE = [
    ("files (YAML + XLSX)", "files", _count, ""),
    ("`jcm validate --no-cache`, whole process", "validate_process.validate_seconds", _s, ""),
    ("floor: a process parsing every YAML file", "validate_process.floor_seconds", _s, ""),
    ("**`jcm validate --no-cache` ÷ its floor**", "ratios.validate_process", _ratio, "≤ 2×"),
    ("validate+compute, YAML only, in process ÷ parse", "ratios.validate_no_cache", _ratio, ""),
    ("the same, warm cache", "ratios.validate_warm_cache", _ratio, ""),
    ("XLSX report, per workbook, no cache", "validate.workbooks_no_cache.ms_per_workbook", _ms, ""),
    ("**`--changed-since`: one project changed**", "incremental.seconds", _s, "≤ 2 s"),
    ("floor: bare mkdocs-material, same page count", "floor_site.site_engine_seconds", _s, ""),
    ("floor: Pagefind on it", "floor_site.search_index_seconds", _s, ""),
    ("floor: total", "floor_site.seconds", _s, ""),
    ("build, no cache: total", "build_cold.seconds", _s, ""),
    ("— validation", "build_cold.validate_seconds", _s, ""),
    (
        "— record pages (render, fill, write)",
        "build_cold.stages.render, fill and write the record pages",
        _s,
        "",
    ),
    (
        "— data files (Pagefind runs beside)",
        "build_cold.stages.data files (while the search index is built)",
        _s,
        "",
    ),
    ("— Pagefind, its own time", f"build_cold.stages.{PAGEFIND}", _s, ""),
    ("**build, no cache ÷ floor**", "ratios.build_cold", _ratio, "≤ 0.8×"),
    ("build, warm validation cache: total", "build.seconds", _s, ""),
    ("— validation", "build.validate_seconds", _s, ""),
    ("**build, warm validation cache ÷ floor**", "ratios.build_warm", _ratio, "≤ 0.6×"),
    ("rebuild after one project changed: total", "rebuild.seconds", _s, ""),
    ("— validation", "rebuild.validate_seconds", _s, ""),
    ("— Pagefind, its own time", f"rebuild.stages.{PAGEFIND}", _s, ""),
    ("— parts kept / made", "rebuild", _parts, ""),
    ("**rebuild ÷ floor**", "ratios.rebuild", _ratio, "≤ 0.4×"),
    (
        "rebuild without the wait for Pagefind ÷ floor",
        "ratios.rebuild_without_pagefind",
        _ratio,
        "",
    ),
    ("HTML pages", "site.html_pages", _count, ""),
    ("site size", "site.site_bytes", _mib, ""),
    ("largest page", "site.largest_page.bytes", _kb, "≤ 200 KB"),
    ("pages over 200 KB", "site.pages_over_200kb_count", _count, "0"),
    ("search index, gzipped", "site.search_index_gzip_bytes", _mib, ""),
    (
        "**search: first results (slowest query)**",
        "search_worst.first_results_ms",
        _ms,
        "≤ 1,000 ms",
    ),
    (
        "**search: transfer for a first query**",
        "search_worst.first_query_transfer_bytes",
        _kb,
        "≤ 1 MB",
    ),
    ("**peak memory (the generator)**", "peak_bytes", _mib, "≤ 1 GiB"),
    ("peak memory (Pagefind)", "peak_bytes_indexer", _mib, ""),
]


def figure(run: dict, path: str) -> object:
    value: object = run
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def markdown(result: dict) -> str:
    runs = result["runs"]
    m = result["machine"]
    lines = [
        f"Benchmark of {result['date']} on {m['cpus']} CPUs, {m['memory_gib']} GiB, "
        f"Python {m['python']} (generator {str(m['generator_commit'])[:10]}"
        f"{' with uncommitted changes' if m.get('uncommitted_changes') else ''}).",
        "",
        "| | " + " | ".join(f"{r['projects']:,} projects" for r in runs) + " | target |",
        "|---|" + "---:|" * len(runs) + "---|",
    ]
    for label, path, fmt, target in TABLE:
        cells = []
        for run in runs:
            value = figure(run, path)
            cells.append("—" if value is None else fmt(value))
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines) + "\n"


def compile_bytecode() -> None:
    """Compile the generator's bytecode, as an installed package has it.

    **Why**: the timed commands start fresh processes, and a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) would otherwise compile every module of the
    generator on every run, a tenth of a second or more of each `--changed-since` run that a
    user's machine spends once.
    """
    import compileall

    compileall.compile_dir(REPO / "generator", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--no-browser", action="store_true", help="skip the search measurement")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    compile_bytecode()
    work = args.work or Path(tempfile.mkdtemp(prefix="jcm-bench-"))
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = {"date": when.isoformat(), "machine": machine(), "targets": TARGETS, "runs": []}
    try:
        for n in sizes:
            result["runs"].append(run_size(n, work, not args.no_browser))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = when.strftime("%Y%m%dT%H%M%SZ")
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    table = markdown(result)
    (args.out / f"{stem}.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
