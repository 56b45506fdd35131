"""The benchmark's own parts stay working (the benchmark itself is not part of the suite)."""

from __future__ import annotations

import json

from benchmarks import run, stages
from generator.tools.synth import synthesize


def test_the_stage_benchmark_runs_on_a_small_registry(tmp_path):
    root = tmp_path / "registry"
    synthesize(root, 40, seed=1)
    figures = stages.main(root, tmp_path / "cache")
    assert figures["yaml_files"] > 0 and figures["workbooks"] >= 1
    assert figures["yaml_parse_floor_seconds"] > 0
    cold, warm = figures["yaml_validate_no_cache"], figures["yaml_validate_warm_cache"]
    assert cold["records"] == warm["records"] and cold["findings"] == warm["findings"]
    assert {"load", "link", "rules"} <= set(cold["stages"])
    assert figures["workbooks_warm_cache"]["workbooks"] == figures["workbooks"]
    json.dumps(figures)


def test_site_statistics_and_the_table(tmp_path):
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "index.html").write_bytes(b"x" * 10)
    (site / "big/index.html").parent.mkdir()
    (site / "big/index.html").write_bytes(b"y" * (run.PAGE_LIMIT + 1))
    (site / "pagefind/a.pf_index").write_bytes(b"z" * 1000)
    stats = run.site_stats(site)
    assert stats["html_pages"] == 2
    assert stats["pages_over_200kb"] == ["big/index.html"]
    assert stats["largest_page"]["path"] == "big/index.html"
    assert 0 < stats["search_index_gzip_bytes"] < stats["search_index_bytes"]
    result = {
        "date": "2026-01-01T00:00:00+00:00",
        "machine": {"cpus": 2, "memory_gib": 24, "python": "3.11", "generator_commit": "abc"},
        "runs": [{"projects": 10, "incremental": {"seconds": 1.5}, "ratios": {"build_cold": 2.0}}],
    }
    table = run.markdown(result)
    assert "| **`--changed-since`: one project changed** | 1.50 s | ≤ 2 s |" in table
    assert "| **build, no cache ÷ floor** | 2.00× | ≤ 0.8× |" in table
    assert "| files (YAML + XLSX) | — |" in table


def test_the_floor_indexes_every_page_it_builds(tmp_path):
    """The floor's pages are searchable as the registry's are (their content marked for
    Pagefind), so the floor's Pagefind indexes each of them: one fragment per page."""
    from benchmarks import site_floor

    figures = site_floor.main(4, tmp_path / "floor")
    assert figures["pages"] == 4
    fragments = list((tmp_path / "floor" / "site" / "pagefind" / "fragment").iterdir())
    assert len(fragments) == 4


def test_the_validation_process_and_its_floor_are_timed(tmp_path):
    from benchmarks import validate_process

    root = tmp_path / "registry"
    synthesize(root, 10, seed=1)
    figures = validate_process.main(root)
    assert figures["floor_seconds"] > 0 and figures["validate_seconds"] > figures["floor_seconds"]
    assert figures["ratio"] == figures["validate_seconds"] / figures["floor_seconds"]
