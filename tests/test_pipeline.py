"""A real mkdocs build of the example registry; a failing validation leaves the old site alone."""

from __future__ import annotations

import shutil

from generator.cli import main
from generator.findings import catalogue
from tests.conftest import FIXTURES


def test_build_example_site_with_every_code_documented(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", "--root", str(FIXTURES / "example"), "--out", str(out)]) == 0
    page = (out / "reference/codes/index.html").read_text("utf-8")
    for code in catalogue():
        assert f'id="{code.lower()}"' in page, code
    records = (out / "reference/records/index.html").read_text("utf-8")
    assert "Monitored value" in records and 'id="monitoredvalue"' in records
    assert "status_as_published" in records


def test_failed_validation_leaves_the_previous_site(tmp_path, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous build")
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root)
    (root / "data/countries/XA.yaml").write_text("code: XA\ntitel: broken\n")
    assert main(["build", "--root", str(root), "--out", str(out)]) == 1
    assert (out / "index.html").read_text() == "previous build"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert "left as it was" in capsys.readouterr().err
