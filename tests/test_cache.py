"""The persistent cache only ever makes a run faster: cached and uncached runs agree finding for
finding, a damaged or hostile cache is ignored, and deleting it is always safe."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from generator import cache as cache_module
from generator.cache import Cache, key_of, open_cache
from generator.cli import main
from generator.pipeline import validate_root
from generator.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def full_tuple(validation) -> list[tuple]:
    return [
        (f.path, f.line, f.col, f.code, str(f.severity), f.message, f.remedy, f.record)
        for f in validation.findings
    ]


def derived(validation) -> tuple:
    """What later stages see: every record's typed values and every recomputed figure."""
    records = [
        (r.kind, r.key, r.path, r.digest, r.model.model_dump_json())
        for r in validation.loaded.all_records()
    ]
    outcomes = [repr(o) for o in validation.outcomes]
    return records, outcomes, repr(validation.totals), validation.loaded.inputs


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cache") / "registry"
    synthesize(root, 90, seed=8, faults=12)
    return root


@pytest.mark.parametrize("name", ["synthetic with faults", "broken", "bundled"])
def test_cached_and_uncached_runs_agree(name: str, faulty: Path, tmp_path: Path):
    root = {
        "synthetic with faults": faulty,
        "broken": FIXTURES / "broken",
        "bundled": ROOT,
    }[name]
    plain = validate_root(root)
    cache = Cache(tmp_path / "cache")
    cold = validate_root(root, cache)
    assert cache.hits == 0 and cache.misses > 0
    warm_cache = Cache(tmp_path / "cache")
    warm = validate_root(root, warm_cache)
    assert warm_cache.misses == 0 and warm_cache.hits == cache.misses
    assert full_tuple(plain) == full_tuple(cold) == full_tuple(warm)
    assert derived(plain) == derived(cold) == derived(warm)
    assert plain.findings, "the registry has findings to compare"


def test_positions_of_findings_come_from_the_cache_once_found(
    faulty: Path, tmp_path: Path, monkeypatch
):
    """A record with a finding is parsed again for its line and column once; the next runs
    find them in the cache, at the same places."""
    from generator.load import registry

    parses: list[str] = []
    real_parse = registry.parse_yaml

    def counted(raw, path):
        parses.append(path)
        return real_parse(raw, path)

    monkeypatch.setattr(registry, "parse_yaml", counted)
    plain = validate_root(faulty)
    cold = validate_root(faulty, Cache(tmp_path / "c"))
    parses.clear()
    warm = validate_root(faulty, Cache(tmp_path / "c"))
    assert full_tuple(plain) == full_tuple(cold) == full_tuple(warm)
    located = {f.path for f in warm.findings if f.line > 1 and f.path.endswith(".yaml")}
    assert located, "some findings point into YAML records"
    assert parses == [], "no file was parsed again for a position"
    # a forked copy never uses its parent's connection to the cache
    source = next(
        r.source
        for r in warm.loaded.all_records()
        if r.path in located and isinstance(r.source, registry.LazySource)
    )
    source._where, source._pid = None, os.getpid() + 1
    assert source.locate(("id",)) == real_parse(source.raw, source.path).locate(("id",))
    assert parses == [source.path]


def test_workbooks_come_from_the_cache_with_their_cells(faulty: Path, tmp_path: Path):
    sheets = sorted((faulty / "data/projects").glob("*/monitoring/*.xlsx"))
    assert sheets
    validate_root(faulty, Cache(tmp_path / "c"))
    warm = validate_root(faulty, Cache(tmp_path / "c"))
    record = next(r for r in warm.loaded.all_records() if r.path.endswith(".xlsx"))
    assert record.locate("values", 0, "value")[0] > 1, "a row of the sheet, not line 1"


def test_deleting_the_cache_is_safe(faulty: Path, tmp_path: Path):
    first = validate_root(faulty, Cache(tmp_path / "c"))
    shutil.rmtree(tmp_path / "c")
    again = validate_root(faulty, Cache(tmp_path / "c"))
    assert full_tuple(first) == full_tuple(again)


def test_a_damaged_cache_file_is_ignored_with_a_word(faulty: Path, tmp_path: Path, capsys):
    validate_root(faulty, Cache(tmp_path / "c"))
    for db in (tmp_path / "c").glob("*.sqlite3"):
        db.write_bytes(b"this is not a database" * 100)
    for wal in (tmp_path / "c").glob("*.sqlite3-*"):
        wal.unlink()
    result = validate_root(faulty, Cache(tmp_path / "c"))
    assert full_tuple(result) == full_tuple(validate_root(faulty))
    assert "continuing without it" in capsys.readouterr().err


class _Boom:
    """Unpickled by a plain `pickle.loads`, this would create the file `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_a_hostile_entry_is_never_run(tmp_path: Path, faulty: Path):
    """An entry that would call a function when unpickled is refused and counts as a miss."""
    cache = Cache(tmp_path / "c")
    validate_root(faulty, cache)
    cache.close()
    db = sqlite3.connect(next((tmp_path / "c").glob("*.sqlite3")))
    marker = tmp_path / "pwned"
    hostile = pickle.dumps(("yaml", _Boom(marker), []))
    pickle.loads(hostile)
    assert marker.exists(), "the payload works when unpickled naively"
    marker.unlink()
    db.execute("UPDATE entries SET value = ?", (hostile,))
    db.commit()
    db.close()
    again = Cache(tmp_path / "c")
    result = validate_root(faulty, again)
    assert again.hits == 0
    assert not marker.exists()
    assert full_tuple(result) == full_tuple(validate_root(faulty))


def test_values_round_trip_and_keys_separate_their_parts(tmp_path: Path):
    cache = Cache(tmp_path / "c")
    cache.put_many("t", {"a": {"x": [1, 2]}, "b": None})
    assert cache.get_many("t", ["a", "b", "c"]) == {"a": {"x": [1, 2]}, "b": None}
    assert key_of("ab", "c") != key_of("a", "bc")


def test_another_code_version_starts_afresh(tmp_path: Path, monkeypatch):
    Cache(tmp_path / "c").put_many("t", {"a": 1})
    monkeypatch.setattr(cache_module, "code_version", lambda: "f" * 64)
    fresh = Cache(tmp_path / "c")
    assert fresh.get_many("t", ["a"]) == {}
    names = [p.name for p in (tmp_path / "c").glob("*.sqlite3")]
    assert names == ["f" * 20 + ".sqlite3"], "the old version's cache was removed"


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("JCM_NO_CACHE")
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    assert main(["validate", "--root", str(root), "--no-cache"]) in (0, 1)
    assert not (root / ".jcm-cache").exists()
    assert main(["validate", "--root", str(root)]) in (0, 1)
    assert list((root / ".jcm-cache").glob("*.sqlite3"))
    assert (root / ".jcm-cache/.gitignore").read_text().strip().endswith("*")
    assert open_cache(root, enabled=False).get_many("load", ["x"]) == {}


def test_processes_opening_a_new_cache_at_once_all_use_it(tmp_path: Path):
    """The site engine and its forked copy open the same cache at the same moment; SQLite may
    refuse one of them at once ("database is locked") while another switches it to WAL."""
    import os
    import time

    codes = []
    for attempt in range(25):  # a race: many tries, each on a new cache
        ready = tmp_path / f"go-{attempt}"
        children = []
        for n in range(4):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - in the child, whose end is os._exit
                code = 1
                try:
                    while not ready.exists():
                        time.sleep(0.0005)
                    one = Cache(tmp_path / f"cache-{attempt}")
                    one.get("t", "k")
                    one.put_many("t", {f"k{n}": n})
                    code = 0 if one.get("t", f"k{n}") == n and one.enabled else 3
                finally:
                    os._exit(code)
            children.append(pid)
        ready.touch()
        codes += [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert codes == [0] * len(codes), "every process used the cache"
