"""Checking a change by partitions gives the findings of a full run, finding for finding.

The registry is a synthetic one with planted faults, plus faults that reach across partner
countries (a serial block of the Japanese registry held twice, a decision registering another
country's project, a TPE number claimed by two countries, a project applying another country's
methodology); each scenario changes the working tree of a real git repository, and the
partitioned run must agree with the full one on the records the change touches.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.changes import Scoped, affected, changed_paths, removed_keys, validate_changed
from generator.cli import main
from generator.pipeline import validate_root
from generator.tools.synth import synthesize
from generator.util.cache import Cache

SOURCE = '  - {id: SYN, title: Synthetic record (not real), url: "https://example.org/synthetic"}\n'


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def full_tuple(findings) -> list[tuple]:
    return [
        (f.path, f.line, f.col, f.code, str(f.severity), f.message, f.remedy, f.record)
        for f in findings
    ]


def _issuances(root: Path, country: str) -> list[Path]:
    return sorted((root / "data/projects").glob(f"{country}*/issuances/*.yaml"))


def _plant_cross_partition_faults(root: Path) -> None:
    a, b, c = "QM", "QN", "QO"
    # 1. A's latest issuance holds a Japanese serial block that overlaps one of C's.
    theirs = _issuances(root, c)[0].read_text()
    start = int(re.search(r"japan:.*?serial: \{start: (\d+)", theirs, re.S).group(1))
    mine = _issuances(root, a)[-1]
    text = mine.read_text()
    old = re.search(r"(japan:.*?serial: \{start: )(\d+), end: (\d+)", text, re.S)
    size = int(old.group(3)) - int(old.group(2))
    text = text[: old.start(2)] + f"{start + 3}, end: {start + 3 + size}" + text[old.end(3) :]
    mine.write_text(text)
    # 2. A decision of A registers a project of B; 3. it claims a TPE number of B.
    project_b = sorted((root / "data/projects").glob(f"{b}0*"))[0].name
    (root / "data/decisions" / a / "2024-02-02-electronic-decision.yaml").write_text(
        "# yaml-language-server: $schema=../../../schemas/decision.schema.json\n"
        f"country: {a}\ndate: 2024-02-02\nelectronic: {{}}\nitems:\n"
        f'  - id: "1"\n    type: register_project\n    project: {project_b}\n'
        f'  - id: "2"\n    type: designate_tpe\n    tpe: synthetic-tpe-02\n'
        f"    number: TPE-{b}-001\n"
        f"    scopes: {{validation: [1], verification: [1]}}\n"
        f"sources:\n{SOURCE}"
    )
    # 4. A number of D claimed by a decision of A, then by one of D (the later claim is refused),
    # and a project of C names its TPE by that number: neither reaches A by a reference.
    for country, slug, tpe in (
        (a, "2024-03-03", "synthetic-tpe-03"),
        ("QP", "2024-04-04", "synthetic-tpe-04"),
    ):
        (root / "data/decisions" / country / f"{slug}-electronic-decision.yaml").write_text(
            "# yaml-language-server: $schema=../../../schemas/decision.schema.json\n"
            f"country: {country}\ndate: {slug}\nelectronic: {{}}\nitems:\n"
            f'  - id: "1"\n    type: designate_tpe\n    tpe: {tpe}\n    number: TPE-QP-099\n'
            f"    scopes: {{validation: [1], verification: [1]}}\n"
            f"sources:\n{SOURCE}"
        )
    named = sorted((root / "data/projects").glob(f"{c}0*"))[2] / "project.yaml"
    named.write_text(
        re.sub(
            r"validation: \{tpe: [a-z0-9-]+",
            "validation: {tpe: TPE-QP-099",
            named.read_text(),
            count=1,
        )
    )
    # 5. A project of B applies a methodology of A.
    project = sorted((root / "data/projects").glob(f"{b}0*"))[1] / "project.yaml"
    project.write_text(
        re.sub(
            rf"methodology: {b}_AM(\d+)@", rf"methodology: {a}_AM\1@", project.read_text(), count=1
        )
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("partitions") / "registry"
    synthesize(root, 130, seed=21, faults=10)
    (root / "faults.json").unlink()
    _plant_cross_partition_faults(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return root


@pytest.fixture
def clean(repo: Path):
    yield repo
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfdx", "--", "data")


def expected(root: Path) -> tuple[set[str], list[tuple]]:
    full = validate_root(root)
    present, deleted = changed_paths(root, "HEAD")
    scope = affected(full, present, removed_keys(deleted))
    return scope, full_tuple(f for f in full.findings if f.path in scope or f.path in present)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _append(path: Path) -> None:
    path.write_text(path.read_text() + "# reviewed\n")


def _first(root: Path, pattern: str) -> Path:
    return sorted((root / "data").glob(pattern))[0]


SCENARIOS = {
    "project title": lambda r: _edit(
        _first(r, "projects/QO0*/project.yaml"), "title: ", "title: X"
    ),
    "monitoring value": lambda r: _edit(
        _first(r, "projects/QP0*/monitoring/*.yaml"), "U1: ", "U1: 1"
    ),
    "issuance deleted": lambda r: _issuances(r, "QN")[0].unlink(),
    "issuance overlapping another country's block": lambda r: shutil.copy(
        _issuances(r, "QN")[1], _issuances(r, "QO")[0].with_name("2039-01-01.yaml")
    ),
    "decision reaching into another country": lambda r: _edit(
        r / "data/decisions/QM/2024-02-02-electronic-decision.yaml", "2024-02-02", "2024-02-03"
    ),
    "country file": lambda r: _edit(r / "data/countries/QO.yaml", "Synthetic Republic", "Rep."),
    "methodology": lambda r: _edit(_first(r, "methodologies/QM_AM*.yaml"), "title: ", "title: X"),
    "untracked stray file": lambda r: (r / "data/projects/QQ001/notes.txt").write_text("hello\n"),
    "overlapping block edited": lambda r: _append(_issuances(r, "QM")[-1]),
    "number claimed twice, second claim edited": lambda r: _append(
        r / "data/decisions/QP/2024-04-04-electronic-decision.yaml"
    ),
    "project naming its TPE by another country's number": lambda r: _append(
        sorted((r / "data/projects").glob("QO0*"))[2] / "project.yaml"
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("warm", [False, True], ids=["cold cache", "warm cache"])
def test_partitioned_run_equals_full_run(clean: Path, tmp_path: Path, name: str, warm: bool):
    root = clean
    cache = Cache(tmp_path / "cache")
    if warm:
        validate_root(root, cache)  # the full run keeps every partition's summary
    SCENARIOS[name](root)
    scope, want = expected(root)
    got = validate_changed(root, "HEAD", cache)
    assert isinstance(got, Scoped), got
    assert got.scope == scope
    assert full_tuple(got.findings) == want
    assert len(got.loaded) < got.total, "only some partner countries were loaded"


def test_the_cross_partition_faults_are_seen(clean: Path, tmp_path: Path):
    """The planted faults that reach across countries are found by the partitioned run too."""
    root = clean
    (root / "data/decisions/QM/2024-02-02-electronic-decision.yaml").touch()
    got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
    # the edit leaves the bytes as they were: nothing changed, nothing to report
    assert isinstance(got, Scoped) and got.findings == []
    mine = _issuances(root, "QM")[-1]
    _append(mine)
    got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
    codes = {f.code for f in got.findings if f.path == mine.relative_to(root).as_posix()}
    assert "LEDGER-SERIAL-OVERLAP" in codes
    assert "QO" not in got.loaded, "the other country's block came from its summary"


def test_numbers_claimed_elsewhere_count(clean: Path, tmp_path: Path):
    root = clean
    _append(root / "data/decisions/QP/2024-04-04-electronic-decision.yaml")
    named = sorted((root / "data/projects").glob("QO0*"))[2] / "project.yaml"
    _append(named)
    got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
    assert "QM" not in got.loaded
    taken = [f for f in got.findings if f.code == "ID-TPE-NUMBER-TAKEN"]
    assert [f.path for f in taken] == ["data/decisions/QP/2024-04-04-electronic-decision.yaml"]
    assert not [
        f
        for f in got.findings
        if f.code == "REF-UNRESOLVED" and f.path == named.relative_to(root).as_posix()
    ], "the number resolves through the other country's claim"


def test_a_decision_reaching_into_another_country_loads_both(clean: Path, tmp_path: Path):
    root = clean
    SCENARIOS["decision reaching into another country"](root)
    got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
    assert {"QM", "QN"} <= got.loaded
    codes = {f.code for f in got.findings}
    assert {"ID-COUNTRY", "ID-TPE-NUMBER-TAKEN"} <= codes


def test_a_shared_record_needs_the_whole_registry(clean: Path, tmp_path: Path):
    root = clean
    _edit(root / "data/tpes/synthetic-tpe-01.yaml", "legal_name: ", "legal_name: X")
    got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
    assert isinstance(got, str) and "data/tpes/synthetic-tpe-01.yaml" in got


def test_cli_reports_the_partitions_it_loaded(clean: Path, tmp_path: Path, capsys):
    root = clean
    SCENARIOS["project title"](root)
    code = main(
        ["validate", "--root", str(root), "--changed-since", "HEAD", "--cache-dir", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "1 file(s) changed since HEAD" in err
    assert "partner countries' records loaded" in err
    _edit(root / "data/tpes/synthetic-tpe-01.yaml", "legal_name: ", "legal_name: X")
    main(["validate", "--root", str(root), "--changed-since", "HEAD", "--cache-dir", str(tmp_path)])
    assert "so the whole registry was checked" in capsys.readouterr().err


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bundled") / "registry"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", root / "data")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return root


@pytest.mark.parametrize("country", ["MN", "VN", "ID", "TH", "PW"])
def test_partitioned_run_equals_full_run_on_the_bundled_data(bundled: Path, tmp_path, country):
    root = bundled
    try:
        for path in [
            *sorted((root / "data/projects").glob(f"{country}*/project.yaml"))[:2],
            *sorted((root / "data/decisions" / country).glob("*.yaml"))[-1:],
            *sorted((root / "data/projects").glob(f"{country}*/issuances/*.yaml"))[:1],
        ]:
            _append(path)
        scope, want = expected(root)
        got = validate_changed(root, "HEAD", Cache(tmp_path / "cache"))
        assert isinstance(got, Scoped), got
        assert got.scope == scope
        assert full_tuple(got.findings) == want
    finally:
        git(root, "checkout", "-q", "--", ".")


def test_partition_digests_kept_by_tree_are_the_listed_ones(clean: Path, tmp_path: Path):
    """Digests found under the revision's data tree id equal those a fresh listing gives; a
    revision that is not one gives None."""
    from generator.changes import blobs_at, partition_digests_at
    from generator.report.partitions import digests_of

    cache = Cache(tmp_path / "cache")
    fresh = digests_of(blobs_at(clean, "HEAD"))
    assert partition_digests_at(clean, "HEAD", cache) == fresh
    hits = cache.hits
    assert partition_digests_at(clean, "HEAD", cache) == fresh
    assert cache.hits == hits + 1
    assert partition_digests_at(clean, "no-such-revision", cache) is None


def test_a_listing_started_early_is_the_listing(clean: Path, tmp_path: Path, monkeypatch, capsys):
    """The CLI starts git's listing of changes before it imports the checks: the listing it
    hands over is the one used (no second git run), and equals a fresh one; git missing or a
    revision that is not one means no comparison."""
    from generator.load.history import start_changes

    SCENARIOS["project title"](clean)
    (clean / "data/projects/NEW.yaml").write_text("id: NEW\n")
    fresh = changed_paths(clean, "HEAD")
    assert "data/projects/NEW.yaml" in fresh[0]
    started = start_changes(clean, "HEAD")

    def no_git(*args, **kwargs):
        raise OSError("git: not found")

    with monkeypatch.context() as patch:
        patch.setattr(subprocess, "Popen", no_git)
        assert changed_paths(clean, "HEAD", started) == fresh
        assert changed_paths(clean, "HEAD") is None
        scoped = validate_changed(clean, "HEAD", Cache(tmp_path / "cache"))
    assert scoped.startswith("cannot compare")
    args = ["validate", "--root", str(clean), "--cache-dir", str(tmp_path / "cache")]
    assert main([*args, "--changed-since", "no-such-revision"]) == 2
    assert "cannot compare with 'no-such-revision'" in capsys.readouterr().err
