"""An independent check: LibreOffice recalculates the generated workbooks, and its ER cells
must equal the Python engine's results (including where binary floating point flooring would be
a tonne short)."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.compute import expressions as ex
from generator.compute.recalc import _run
from generator.render.workbook import Target
from generator.schema import workbook as L
from generator.tools.workbook_filler import fill_report
from tests.render.workbook_helpers import bundled, example, workbook

pytestmark = pytest.mark.libreoffice
D = Decimal

# (registry, version, units with attributes, monitored values)
CASES = {
    "XA_AM001@01.0": (
        example,
        [("PV1", {}), ("PV2", {})],
        {"EG": {"PV1": D("900.123"), "PV2": D("400.5")}, "EC_aux": D("1.2")},
    ),
    "XA_AM001@02.0": (
        example,
        [
            ("PV1", {"connection": "grid", "case": "1"}),
            ("PV2", {"connection": "captive", "case": "2"}),
        ],
        {"EG": {"PV1": D("1234.567"), "PV2": D("89.01")}},
    ),
    # 544.574 + 8455.426 MWh at 0.797 t/MWh is exactly 7173 t; binary floating point makes
    # the sum 7172.999999999999, which naive flooring turns into 7172.
    "MN_AM003@02.0": (
        bundled,
        [("PV1", {"connection": "national-grid"}), ("PV2", {"connection": "national-grid"})],
        {"EG": {"PV1": D("544.574"), "PV2": D("8455.426")}},
    ),
    "ID_AM013@01.0": (
        bundled,
        [
            ("PV1", {"grid": "Jamali", "case": "1"}),
            ("PV2", {"grid": "Bengkalis group", "case": "2"}),
        ],
        {"EG": {"PV1": D("3001.75"), "PV2": D("12.5")}},
    ),
}


def engine(validation, key, units, values) -> Decimal:
    compiled = validation.computed.versions[key]
    scalars: dict[str, Decimal] = {}
    vectors: dict[str, dict[str, Decimal]] = {}
    for name in compiled.needed:
        parameter = compiled.parameters[name]
        if parameter.kind == "monitored":
            target = vectors if parameter.per_unit else scalars
            target[name] = values[name]
        elif parameter.table is not None:
            vectors[name] = {
                uid: next(
                    r.value
                    for r in parameter.table.rows
                    if all(attrs.get(k) == v for k, v in r.when.items())
                )
                for uid, attrs in units
            }
        elif parameter.per_unit:
            vectors[name] = {uid: parameter.value for uid, _ in units}
        else:
            scalars[name] = parameter.value
    figures = _run(compiled, ex.Env(scalars, vectors, [uid for uid, _ in units]))
    return figures.rounded["ER_p"]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    """Every case's filled workbook, recalculated by one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, (
        "LibreOffice (Debian libreoffice-calc) is needed: scripts/install-system-packages"
    )
    work = tmp_path_factory.mktemp("lo")
    inputs = []
    for key, (registry, units, values) in CASES.items():
        target = Target(project="TEST", units=[(u, u, attrs) for u, attrs in units])
        raw = workbook(registry(), key, target=target)
        raw = fill_report(
            raw, (date(2020, 1, 1), date(2020, 12, 31)), "https://example.org/x", values
        )
        path = work / f"{key.replace('@', '_')}.xlsx"
        path.write_bytes(raw)
        inputs.append(str(path))
    out = work / "out"
    out.mkdir()
    profile = work / "profile"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *inputs,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {key: out / Path(p).name for key, p in zip(CASES, inputs, strict=True)}


def result_cell(path: Path) -> Decimal:
    wb = load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    ws = wb[L.MRS_CALC]
    for row in ws.iter_rows(values_only=True):
        if row[0] == "CO2 emission reductions in the monitoring period":
            return Decimal(repr(row[2]))
    raise AssertionError("no result row")


@pytest.mark.parametrize("key", sorted(CASES))
def test_libreoffice_agrees_with_the_engine(recalculated, key):
    registry, units, values = CASES[key]
    ours = engine(registry(), key, units, values)
    theirs = result_cell(recalculated[key])
    assert theirs == ours, f"{key}: LibreOffice computed {theirs}, the engine {ours}"


def test_the_float_trap_is_real():
    assert math.floor(544.574 * 0.797 + 8455.426 * 0.797) == 7172
    assert engine(bundled(), "MN_AM003@02.0", *CASES["MN_AM003@02.0"][1:]) == D(7173)
