"""What a record page is made from (generator/render/inputs.py): what it shows changes its
inputs, what it does not show leaves them alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.load.history import History
from generator.pipeline import validate_root
from generator.render.inputs import Inputs
from generator.render.views import SiteConfig, Views
from tests.conftest import FIXTURES


def inputs(root: Path) -> Inputs:
    return Inputs(Views(validate_root(root), History(), SiteConfig()))


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_tpe_page_follows_the_countries_of_the_decisions_designating_it(tmp_path):
    """A country's decision designates the TPE, whose own file no longer lists that country:
    the country's name on the TPE's page still makes the page's inputs."""
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    tpe = "data/tpes/example-assurance.yaml"
    text = (root / tpe).read_text()
    start = text.index("  - country: XB")
    (root / tpe).write_text(text[:start] + text[text.index("sources:") :])
    decision = root / "data/decisions/XB/2015-01-01-1st-jc.yaml"
    decision.parent.mkdir(parents=True)
    decision.write_text(
        "country: XB\ndate: 2015-01-01\nmeeting: {ordinal: 1}\nitems:\n"
        '  - {id: "1", type: designate_tpe, tpe: example-assurance, number: TPE-XB-004}\n'
        "sources:\n  - {id: R1, title: Fictional, url: 'https://example.org/xb'}\n"
    )
    assert "decision:XB/2015-01-01-1st-jc" in inputs(root).records
    before = inputs(root).tpe("example-assurance")
    edit(root, "data/countries/XB.yaml", "en: ", "en: Renamed ")
    assert inputs(root).tpe("example-assurance") != before


def test_a_page_keeps_its_inputs_when_a_record_it_does_not_show_changes(tmp_path):
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    before = inputs(root)
    keys = {pid: before.project(pid) for pid in ("XA002", "XA004")}
    edit(root, "data/projects/XA004/project.yaml", "at a School", "at a College")
    after = inputs(root)
    assert after.project("XA002") == keys["XA002"]
    assert after.project("XA004") != keys["XA004"]
