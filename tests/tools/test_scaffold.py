"""`jcm new`: every kind scaffolds at its place, validates once the placeholders are filled,
and never overwrites a record."""

from __future__ import annotations

import re
import shutil

import pytest

from generator.cli import main
from generator.findings import Severity
from generator.pipeline import validate_root
from generator.tools.scaffold import ScaffoldError, scaffold
from tests.conftest import FIXTURES

CASES = {
    "country": "XC",
    "decision": "XA/2025-01-15-5th-jc",
    "methodology": "XA_AM009",
    "tpe": "new-assurance",
    "project": "XA010",
    "monitoring": "XA004/2022-01-01_2022-06-30",
    "issuance": "XA004/2023-05-01",
}

FILL = [
    (r"<date YYYY-MM-DD>", "2020-01-01"),
    (r'"<version like 02\.0>"', '"01.0"'),
    (r"<number>", "1"),
    (r"<https://public address>", "https://example.org/source"),
    (r"<true or false>", "false"),
    (r"<a short id[^>]*>", "S1"),
    (r"<one of ([A-Za-z0-9_-]+)[^>]*>", r"\1"),
    (r"<a project id like MN003>", "XA001"),
    (r"<a lowercase slug[^>]*>", "example"),
    (r"<[^>\n]*>", "Example text"),
]


def fill(text: str) -> str:
    for pattern, value in FILL:
        text = re.sub(pattern, value, text)
    return text


@pytest.mark.parametrize("kind", sorted(CASES))
def test_scaffold_validates_once_filled(tmp_path, kind):
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    if kind == "issuance":  # an issuance follows a notification: record it first
        (root / "data/decisions/XA/2023-05-01-electronic-decision.yaml").write_text(
            "# yaml-language-server: $schema=../../../schemas/decision.schema.json\n"
            "country: XA\ndate: 2023-05-01\nelectronic: {}\nitems:\n"
            "  - {id: '1', type: notify_issuance, project: XA004}\n"
            "sources:\n  - {id: F, title: Fictional, url: 'https://example.org/d'}\n"
        )
    made = scaffold(kind, CASES[kind], root)
    assert made.text.startswith("# yaml-language-server: $schema=")
    assert "<" in made.text  # there is something to fill
    path = root / made.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fill(made.text))
    result = validate_root(root)
    errors = [
        f.as_text()
        for f in result.findings
        if f.path == made.path and f.severity is not Severity.INCOMPLETE
    ]
    assert errors == []
    assert any(r.path == made.path for r in result.loaded.all_records())


def test_scaffold_refuses_existing_records_and_bad_ids(tmp_path):
    root = FIXTURES / "example"
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold("project", "XA001", root)
    with pytest.raises(ScaffoldError, match="not a project identifier"):
        scaffold("project", "xa1", root)
    with pytest.raises(ScaffoldError, match="not a decision identifier"):
        scaffold("decision", "XA/15-01-2025", root)


def test_jcm_new_command(tmp_path, capsys):
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    assert main(["new", "project", "XA011", "--root", str(root)]) == 0
    assert (root / "data/projects/XA011/project.yaml").exists()
    assert main(["new", "project", "XA011", "--root", str(root)]) == 1
    assert "never overwritten" in capsys.readouterr().err
