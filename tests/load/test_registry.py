"""The load stage on whole registries: the example loads clean; the broken one reports each code."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cli import main
from generator.findings import catalogue
from generator.load.records import resolve_field_path
from generator.load.tree import WorkingTree
from generator.pipeline import validate_tree
from tests.conftest import FIXTURES

LOADER_FAMILIES = {"files", "yaml", "schema"}
UNIT_TESTED_ONLY = {
    "SCHEMA-INVALID",  # the fallback for pydantic error types not yet mapped: test_errors.py
    "PATH-DUPLICATE-RECORD",  # a .yaml and an .xlsx of one period: tests/load/test_workbook.py
}


def broken_copy(tmp_path: Path) -> Path:
    """The broken fixture plus what git should not hold: a symlink and an oversized file."""
    root = tmp_path / "broken"
    shutil.copytree(FIXTURES / "broken", root)
    (root / "data/countries/XY.yaml").write_text("notes: |\n" + ("  x" * 800_000) + "\n")
    (root / "data/countries/XZ.yaml").symlink_to("/etc/hostname")
    return root


def test_validate_broken_registry_golden(tmp_path, capsys, golden):
    root = broken_copy(tmp_path)
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    golden("validate_broken.txt", out)
    printed = {
        line.split(": ", 1)[1].split(" ", 1)[0][2:]
        for line in out.splitlines()
        if ": E-" in line or ": W-" in line
    }
    expected = {
        entry.code for entry in catalogue().values() if entry.family in LOADER_FAMILIES
    } - UNIT_TESTED_ONLY
    assert expected - printed == set(), "codes with no case in tests/fixtures/broken"


def test_every_finding_names_file_line_column_and_remedy(tmp_path):
    result = validate_tree(WorkingTree(broken_copy(tmp_path)))
    for finding in result.findings:
        assert finding.path.startswith("data/")
        assert finding.line >= 1 and finding.col >= 1
        assert finding.message and finding.remedy
        assert "{" not in finding.message + finding.remedy, finding.as_text()


def test_findings_are_sorted_by_file_and_line(tmp_path):
    findings = validate_tree(WorkingTree(broken_copy(tmp_path))).findings
    keys = [(f.path, f.line, f.col) for f in findings]
    assert keys == sorted(keys)


def test_example_registry_validates(example_root, capsys):
    assert main(["validate", "--root", str(example_root)]) == 0
    assert "0 errors" in capsys.readouterr().out


def test_github_and_json_formats(tmp_path, capsys):
    root = broken_copy(tmp_path)
    assert main(["validate", "--root", str(root), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith(
            "::error file=data/projects/XA002/project.yaml,line=1,col=1,title=E-SCHEMA-MISSING-FIELD::"
        )
        for line in lines
    )
    assert main(["validate", "--root", str(root), "--format", "json"]) == 1
    import json

    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["errors"] == len(
        [f for f in payload["findings"] if f["severity"] == "error"]
    )


def test_missing_data_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", "--root", str(tmp_path)]) == 2
    assert "no data/ folder" in capsys.readouterr().err


def test_resolve_field_path():
    data = {"items": [{"quantity": 1}], "location": {"latitude": 1}}
    assert resolve_field_path(data, "items[0].quantity") == ("items", 0, "quantity")
    assert resolve_field_path(data, "location.latitude") == ("location", "latitude")
    assert resolve_field_path(data, "items[3].quantity") is None
    assert resolve_field_path(data, "location.altitude") is None
