"""The persistent cache only ever makes a run faster: cached and uncached runs agree finding for
finding, a damaged or hostile cache is ignored, and deleting it is always safe."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import validate_root
from generator.tools.synth import synthesize
from generator.util import cache as cache_module
from generator.util.cache import Cache, key_of, open_cache
from tests.conftest import FIXTURES, ROOT


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
    from generator.load import records as registry

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


def test_the_cache_lives_in_the_users_cache_folder_one_per_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("JCM_NO_CACHE")
    monkeypatch.setenv("JCM_CACHE_HOME", str(tmp_path / "home-cache"))
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    assert main(["validate", "--root", str(root), "--no-cache"]) in (0, 1)
    assert not (tmp_path / "home-cache").exists()
    assert main(["validate", "--root", str(root)]) in (0, 1)
    folder = cache_module.default_directory(root)
    assert folder.parent == tmp_path / "home-cache" and folder.name.startswith("reg-")
    assert list(folder.glob("*.sqlite3"))
    assert not (root / ".jcm-cache").exists(), "nothing is written into the checkout"
    other = tmp_path / "elsewhere" / "reg"
    assert cache_module.default_directory(other) != folder, "another checkout, another cache"
    assert open_cache(root, enabled=False).get_many("load", ["x"]) == {}


def test_a_cache_folder_inside_the_checkout_is_refused(tmp_path, capsys):
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    inside = root / "data" / "cache"
    assert main(["validate", "--root", str(root), "--cache-dir", str(inside)]) == 2
    assert "is inside the repository" in capsys.readouterr().err
    assert not inside.exists()
    with pytest.raises(cache_module.CacheRefused):
        open_cache(root, root)


def _git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _forge(cache_dir: Path, root: Path) -> None:
    """A cache made by a real run on `root`, then forged: every text of a parsed record that
    names the rooftop project is replaced, under the same keys."""
    cache = Cache(cache_dir)
    validate_root(root, cache)
    db = cache._connect()

    def forged(value):
        if isinstance(value, str) and "Rooftop" in value:
            return "<script>alert('forged')</script> Forged title"
        if isinstance(value, dict):
            return {k: forged(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(forged(v) for v in value)
        return value

    rows = db.execute("SELECT key, value FROM entries WHERE ns = 'load'").fetchall()
    for key, blob in rows:
        db.execute(
            "UPDATE entries SET value = ? WHERE ns = 'load' AND key = ?",
            (pickle.dumps(forged(cache_module._loads(blob))), key),
        )
    cache.close()


def test_a_committed_cache_with_forged_entries_changes_nothing_published(tmp_path, monkeypatch):
    """A fresh clone with a `.jcm-cache` committed into it, holding forged values under the
    keys the build looks up, publishes the site a clone without it publishes; the run says
    the folder is not used."""
    import hashlib
    import subprocess

    monkeypatch.setenv("JCM_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.delenv("JCM_NO_CACHE")
    origin = tmp_path / "origin"
    shutil.copytree(FIXTURES / "example", origin)
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "records")
    clean = tmp_path / "clean"
    subprocess.run(["git", "clone", "-q", str(origin), str(clean)], check=True)
    _forge(origin / cache_module.IN_CHECKOUT, origin)
    _git(origin, "add", "-f", cache_module.IN_CHECKOUT)
    _git(origin, "commit", "-qm", "a cache")
    # the forgery is real: a build that read this cache would publish it
    from generator.pipeline import build

    shutil.rmtree(tmp_path / "home-cache", ignore_errors=True)
    poisoned = build(origin, tmp_path / "poisoned", Cache(origin / cache_module.IN_CHECKOUT))
    assert "Forged title" in (tmp_path / "poisoned/projects/XA001/index.html").read_text()
    assert poisoned.site is not None
    fresh = tmp_path / "fresh"
    subprocess.run(["git", "clone", "-q", str(origin), str(fresh)], check=True)
    assert (fresh / cache_module.IN_CHECKOUT).is_dir()

    def site_of(root: Path, out: Path) -> dict[str, str]:
        assert main(["build", "--root", str(root), "--out", str(out)]) == 0
        return {
            p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"
        }

    capsys_free = site_of(clean, tmp_path / "site-clean")
    assert site_of(fresh, tmp_path / "site-fresh") == capsys_free
    assert "Forged" not in (tmp_path / "site-fresh/projects/XA001/index.html").read_text()


def test_a_committed_or_linked_cache_folder_is_named_and_never_read(tmp_path, capsys):
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    assert cache_module.checkout_warning(root) is None
    (root / ".jcm-cache").mkdir()
    assert "no longer used" in cache_module.checkout_warning(root)
    (root / ".jcm-cache" / "x.sqlite3").write_text("x")
    _git(root, "init", "-q")
    _git(root, "add", "-f", ".jcm-cache")
    assert "committed to the repository" in cache_module.checkout_warning(root)
    shutil.rmtree(root / ".jcm-cache")
    _git(root, "rm", "-q", "--cached", "-r", ".jcm-cache")
    (root / ".jcm-cache").symlink_to(tmp_path)
    assert "symbolic link" in cache_module.checkout_warning(root)
    assert main(["validate", "--root", str(root), "--no-cache"]) in (0, 1)
    assert "is not used: it is a symbolic link" in capsys.readouterr().err


def test_processes_opening_a_new_cache_at_once_all_use_it(tmp_path: Path):
    """Two runs (a build and a validation, two test workers) open the same new cache at the
    same moment; SQLite may refuse one of them at once ("database is locked") while another
    switches it to WAL."""
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from generator.util.cache import Cache\n"
        "ready, folder, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]\n"
        "while not ready.exists():\n"
        "    time.sleep(0.0005)\n"
        "one = Cache(folder)\n"
        "one.get('t', 'k')\n"
        "one.put_many('t', {'k' + n: n})\n"
        "sys.exit(0 if one.get('t', 'k' + n) == n and one.enabled else 3)\n"
    )
    codes = []
    for attempt in range(8):  # a race: several tries, each on a new cache
        ready = tmp_path / f"go-{attempt}"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(ready), str(tmp_path / f"c-{attempt}"), str(n)],
                cwd=ROOT,
            )
            for n in range(4)
        ]
        time.sleep(0.3)  # every process waiting at the line
        ready.touch()
        codes += [child.wait(timeout=60) for child in children]
    assert codes == [0] * len(codes), "every process used the cache"
