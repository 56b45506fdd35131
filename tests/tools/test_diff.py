"""`jcm diff` and `jcm validate --changed-since` on real commits of a temporary git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import FIXTURES


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "secretariat@example.org")
    git(root, "config", "user.name", "Secretariat")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The example registry")
    return root


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / "data" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def diff(repo: Path, base: str, head: str, capsys) -> str:
    assert main(["diff", base, head, "--root", str(repo)]) == 0
    return capsys.readouterr().out


REGISTER = """# yaml-language-server: $schema=../../../schemas/decision.schema.json
country: XA
date: 2023-03-01
electronic: {}
items:
  - {id: "1", type: register_project, project: XA002}
sources:
  - {id: F, title: Fictional, url: "https://example.org/d"}
"""


def test_a_registration_shows_the_status_change_and_the_decision(repo, capsys):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "data/decisions/XA/2023-03-01-electronic-decision.yaml").write_text(REGISTER)
    head = commit(repo, "Register XA002")
    out = diff(repo, base, head, capsys)
    assert "decision `XA/2023-03-01-electronic-decision` | added" in out
    assert (
        "| `XA002` | registration request withdrawn | **registered** | JC electronic decision 2023-03-01"
        in out
    )


def test_field_changes_new_credits_figures_and_findings(repo, capsys):
    base = git(repo, "rev-parse", "HEAD")
    edit(
        repo,
        "projects/XA001/project.yaml",
        "operational_lifetime_years: 17",
        "operational_lifetime_years: 20",
    )
    edit(
        repo,
        "projects/XA001/monitoring/2020-01-01_2020-12-31.yaml",
        "per_unit: {PV1: 900.123, PV2: 400.5}",
        "per_unit: {PV1: 910.123, PV2: 400.5}",
    )
    head = commit(repo, "Correct PV1's metered output")
    out = diff(repo, base, head, capsys)
    assert "`duration.operational_lifetime_years`: 17 → 20" in out
    assert "| XA001 | 2020-01-01 to 2020-12-31 | 1035 | 1043 |" in out
    assert "CALC-CLAIMED-MISMATCH" in out  # introduced: the claim no longer matches
    # and fixing it shows the finding as fixed
    edit(
        repo,
        "projects/XA001/monitoring/2020-01-01_2020-12-31.yaml",
        "per_unit: {PV1: 910.123, PV2: 400.5}",
        "per_unit: {PV1: 900.123, PV2: 400.5}",
    )
    fixed = commit(repo, "Back to the verified figure")
    out = diff(repo, head, fixed, capsys)
    assert "### Findings fixed" in out and "CALC-CLAIMED-MISMATCH" in out


def test_renamed_and_deleted_records(repo, capsys):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "data/projects/XA_PIN001").rename(repo / "data/projects/XA_PIN009")
    edit(repo, "projects/XA_PIN009/project.yaml", "id: XA_PIN001", "id: XA_PIN009")
    edit(repo, "projects/XA001/project.yaml", "project: XA_PIN001", "project: XA_PIN009")
    edit(
        repo, "decisions/XA/2019-08-20-electronic-decision.yaml", "pin: XA_PIN001", "pin: XA_PIN009"
    )
    (repo / "data/projects/XA001/issuances/2022-12-01.yaml").unlink()
    head = commit(repo, "Renumber the PIN; drop an issuance")
    out = diff(repo, base, head, capsys)
    assert "project `XA_PIN009` | renamed | was `XA_PIN001`" in out
    assert "issuance `XA001/issuances/2022-12-01` | removed" in out


def test_new_notification_and_issuance(repo, capsys):
    base = git(repo, "rev-parse", "HEAD")
    edit(
        repo,
        "decisions/XA/2022-11-10-4th-jc.yaml",
        "    allocation_complete: false\n",
        '    allocation_complete: false\n  - id: "2"\n    type: notify_issuance\n'
        "    project: XA001\n    period: {start: 2021-07-01, end: 2021-12-31}\n"
        "    quantity: 400\n",
    )
    head = commit(repo, "Notify XA001's second half of 2021")
    out = diff(repo, base, head, capsys)
    assert "XA001: issuance notified, 400 tCO2e (`XA/2022-11-10-4th-jc#2`)" in out


def test_no_change(repo, capsys):
    head = git(repo, "rev-parse", "HEAD")
    assert "No change to the registry" in diff(repo, head, head, capsys)


def test_changed_since_checks_the_change_and_what_depends_on_it(repo, capsys):
    base = git(repo, "rev-parse", "HEAD")
    # a methodology change re-checks its projects: XA001's claims no longer match
    edit(repo, "methodologies/XA_AM001.yaml", "        value: 0.797\n", "        value: 0.8\n")
    code = main(["validate", "--root", str(repo), "--changed-since", base])
    out = capsys.readouterr()
    assert code == 0  # the equations are derived from a summary: a mismatch is a warning
    assert (
        "data/projects/XA001/monitoring/2020-01-01_2020-12-31.yaml:22:" in out.out
        and "W-CALC-CLAIMED-MISMATCH" in out.out
    )
    assert "data/methodologies/XA_AM001.yaml" in out.err or "checking" in out.err
    # a record nothing depends on keeps the report to itself
    git(repo, "checkout", "-q", "--", "data")
    edit(repo, "tpes/example-assurance.yaml", "acronym: EAO", "acronym: EAO2")
    main(["validate", "--root", str(repo), "--changed-since", base])
    out = capsys.readouterr().out
    assert "XA001/monitoring" not in out


def test_diff_of_an_unknown_revision_is_a_usage_error(repo, capsys):
    assert main(["diff", "no-such-rev", "HEAD", "--root", str(repo)]) == 2


def test_changed_since_an_option_is_not_passed_to_git_as_one(repo, capsys, tmp_path):
    """A revision that reads like a git option is a revision that does not exist: git writes
    no file and the run stops with the usage error of an unknown revision."""
    written = tmp_path / "written.txt"
    code = main(["validate", "--root", str(repo), f"--changed-since=--output={written}"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot compare with" in err
    assert not written.exists()
