"""`jcm synth`: deterministic, valid, and its planted faults are found exactly."""

from __future__ import annotations

import hashlib
import json

from generator.cli import main
from generator.findings import Severity
from generator.pipeline import validate_root
from generator.tools.synth import synthesize


def tree_digest(root) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "data").rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_registry(tmp_path):
    synthesize(tmp_path / "a", 60, seed=3)
    synthesize(tmp_path / "b", 60, seed=3)
    synthesize(tmp_path / "c", 60, seed=4)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


def test_a_synthetic_registry_validates(tmp_path):
    written = synthesize(tmp_path / "reg", 150, seed=11)
    assert written.files > 150
    assert list((tmp_path / "reg/data/projects").glob("*/monitoring/*.xlsx")), "some sheets"
    result = validate_root(tmp_path / "reg")
    assert [f.as_text() for f in result.findings if f.severity is not Severity.INCOMPLETE] == []
    assert len([p for p in result.registry.projects]) == 150


def test_a_small_synthetic_registry_validates_too(tmp_path):
    """With one or two countries, some TPEs have no designation (their list is empty)."""
    for projects in (1, 30, 31):
        synthesize(tmp_path / str(projects), projects, seed=5)
        result = validate_root(tmp_path / str(projects))
        assert [f.as_text() for f in result.findings if f.severity is not Severity.INCOMPLETE] == []


def test_planted_faults_are_found_exactly(tmp_path, capsys):
    assert (
        main(["synth", str(tmp_path / "reg"), "--projects", "150", "--seed", "5", "--faults", "12"])
        == 0
    )
    planted = json.loads((tmp_path / "reg/faults.json").read_text())
    assert len(planted) == 12
    result = validate_root(tmp_path / "reg")
    found = {(f.code, f.path) for f in result.findings if f.severity is not Severity.INCOMPLETE}
    assert found == {(p["code"], p["path"]) for p in planted}
    for p in planted:
        if "severity" in p:
            assert {
                str(f.severity)
                for f in result.findings
                if (f.code, f.path) == (p["code"], p["path"])
            } == {p["severity"]}
