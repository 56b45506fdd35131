"""Reading filled Monitoring Report Sheets: round trip, errors at sheet!cell, hostile files."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.cli import main
from generator.load.workbook import read_monitoring_workbook
from generator.render.workbook import workbook_bytes
from generator.schema import workbook as L
from generator.tools.workbook_filler import fill_report
from tests.conftest import ROOT
from tests.render.workbook_helpers import example, workbook
from tests.rules.helpers import find, run_with

D = Decimal
MR = "projects/XA001/monitoring/2020-01-01_2020-12-31"
VALUES = {"EG": {"PV1": D("900.123"), "PV2": D("400.5")}, "EC_aux": D("1.2")}
PERIOD = (date(2020, 1, 1), date(2020, 12, 31))
URL = "https://example.org/xa/XA001-mr1.pdf"


def filled(**changes) -> bytes:
    raw = workbook(example(), "XA_AM001@01.0", "XA001")
    values = {**VALUES, **changes.pop("values", {})}
    return fill_report(
        raw, changes.pop("period", PERIOD), changes.pop("source", URL), values, **changes
    )


def codes(raw: bytes, project="XA001") -> list[tuple[str, int, int]]:
    parsed = read_monitoring_workbook(raw, "x.xlsx", project=project)
    return [(f.code, f.line, f.col) for f in parsed.findings]


def test_written_then_read_gives_the_same_record():
    parsed = read_monitoring_workbook(filled(), "x.xlsx", project="XA001")
    assert parsed.findings == []
    data = parsed.data
    assert data["project"] == "XA001"
    assert data["methodology"] == "XA_AM001@01.0"
    assert data["period"] == {"start": PERIOD[0], "end": PERIOD[1]}
    by_name = {v["parameter"]: v for v in data["values"]}
    assert by_name["EG"]["per_unit"] == VALUES["EG"]
    assert by_name["EC_aux"]["value"] == VALUES["EC_aux"]
    assert by_name["EG"]["option"] == "C" and by_name["EG"]["unit"] == "MWh"


def test_an_xlsx_under_data_is_a_monitoring_record(tmp_path):
    # the same period as a workbook instead of YAML: same recomputed figures, no errors
    _root, validation = run_with(tmp_path, {f"{MR}.yaml": None, f"{MR}.xlsx": b""})
    (tmp_path / "registry/data" / f"{MR}.xlsx").write_bytes(filled())
    from generator.pipeline import validate_root

    validation = validate_root(tmp_path / "registry")
    assert [f.as_text() for f in validation.findings if f.severity == "error"] == []
    chain = validation.computed.projects["XA001"].periods[0]
    assert chain.report.path.endswith(".xlsx")
    assert chain.recomputed.rounded["ER_p"] == D(1035)


def test_a_period_in_yaml_and_in_xlsx_is_a_duplicate(tmp_path):
    _root, validation = run_with(tmp_path, {f"{MR}.xlsx": filled()})
    (dupe,) = find(validation, "PATH-DUPLICATE-RECORD")
    assert dupe.path == f"data/{MR}.yaml" and dupe.message.endswith(f"data/{MR}.xlsx`")


def test_import_monitoring_writes_the_yaml_record(tmp_path, capsys):
    root, _ = run_with(tmp_path, {f"{MR}.yaml": None})
    sheet = tmp_path / "filled.xlsx"
    sheet.write_bytes(filled())
    assert main(["import-monitoring", str(sheet), "--project", "XA001", "--root", str(root)]) == 0
    text = (root / "data" / f"{MR}.yaml").read_text()
    assert "900.123" in text and "period:" in text and "sources:" in text
    # a second import refuses to overwrite
    assert main(["import-monitoring", str(sheet), "--project", "XA001", "--root", str(root)]) == 1


def _set(raw: bytes, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(raw))
    wb[L.MRS_INPUT][cell].value = value
    return workbook_bytes(wb)


def test_errors_point_at_sheet_and_cell(tmp_path, capsys):
    e11 = f"E{L.MRS_FIRST_ROW}"
    assert ("XLSX-NOT-NUMBER", L.MRS_FIRST_ROW, 5) in codes(_set(filled(), e11, "900,1 MWh"))
    assert ("XLSX-FORMULA-IN-INPUT", L.MRS_FIRST_ROW, 5) in codes(_set(filled(), e11, "=1+1"))
    assert ("XLSX-EMPTY-VALUE", L.MRS_FIRST_ROW, 5) in codes(_set(filled(), e11, None))
    assert ("XLSX-PERIOD", 5, 2) in codes(_set(filled(), "B5", "Jan 2020"))
    assert ("XLSX-SOURCE", 6, 2) in codes(_set(filled(), "B6", None))
    assert ("XLSX-HEADER", 2, 2) in codes(filled(), project="XA004")
    assert ("XLSX-HEADER", 1, 1) in codes(_set(filled(), "A1", "some other sheet"))
    # the text shows the cell
    sheet = tmp_path / "bad.xlsx"
    sheet.write_bytes(_set(filled(), e11, "n/a"))
    root, _ = run_with(tmp_path, {f"{MR}.yaml": None})
    assert main(["import-monitoring", str(sheet), "--project", "XA001", "--root", str(root)]) == 1
    assert f"'MRS(input)'!{e11}" in capsys.readouterr().out
    assert not (root / "data" / f"{MR}.yaml").exists()


def test_extra_parameter_and_wrong_unit_are_found_at_their_cells(tmp_path):
    raw = _set(filled(units={"EG": "kWh"}), f"C{L.MRS_FIRST_ROW + 2}", "EG_typo")
    _root, validation = run_with(tmp_path, {f"{MR}.yaml": None})
    (tmp_path / "registry/data" / f"{MR}.xlsx").write_bytes(raw)
    from generator.pipeline import validate_root

    validation = validate_root(tmp_path / "registry")
    unknown = find(validation, "CALC-UNKNOWN-PARAMETER")
    assert [(f.line, f.col, f.cell) for f in unknown] == [
        (L.MRS_FIRST_ROW + 2, 3, f"'MRS(input)'!C{L.MRS_FIRST_ROW + 2}")
    ]


# ---------------------------------------------------------------------------------------------
# Hostile workbooks: refused before any XML parser runs, in bounded time and memory


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _with(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(filled()))
    parts = {n: source.read(n) for n in source.namelist()}
    if content_types is not None:
        parts["[Content_Types].xml"] = content_types
    parts.update(extra)
    return _zip(parts)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * 1_000_000
            for _ in range(200):
                part.write(chunk)
    return buffer.getvalue()


def _big_sheet() -> bytes:
    row = b"<row><c t='n'><v>12345.678</v></c><c t='inlineStr'><is><t>xyz</t></is></c></row>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(1_300_000):  # about 100 MB of rows
                part.write(row)
    return buffer.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<worksheet>&lol2;</worksheet>"
)

HOSTILE = {
    "macros": (lambda: _with({"xl/vbaProject.bin": b"VBA"}), "XLSX-MACROS"),
    "macro content type": (
        lambda: _with(
            {},
            b'<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        ),
        "XLSX-MACROS",
    ),
    "external links": (
        lambda: _with({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        "XLSX-EXTERNAL-LINKS",
    ),
    "zip bomb": (_bomb, "XLSX-TOO-LARGE"),
    "100 MB sheet": (_big_sheet, "XLSX-TOO-LARGE"),
    "billion laughs": (lambda: _with({"xl/worksheets/sheet1.xml": LAUGHS}), "XLSX-XML-ENTITIES"),
    "password protected": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
        "XLSX-ENCRYPTED",
    ),
    "csv renamed": (lambda: b"parameter,value\nEG,900\n", "XLSX-NOT-A-WORKBOOK"),
    "empty zip": (lambda: _zip({"a.txt": b"x"}), "XLSX-NOT-A-WORKBOOK"),
    "oversized file": (lambda: b"PK" + b"\0" * 10_000_001, "XLSX-TOO-LARGE"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_workbooks_are_refused(case):
    make, code = HOSTILE[case]
    parsed = read_monitoring_workbook(make(), "hostile.xlsx", project="XA001")
    assert [f.code for f in parsed.findings] == [code]
    assert parsed.data is None


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from tests.load.test_workbook import HOSTILE
from generator.load.workbook import read_monitoring_workbook
make, code = HOSTILE[sys.argv[1]]
raw = make()
parsed = read_monitoring_workbook(raw, "hostile.xlsx", project="XA001")
assert [f.code for f in parsed.findings] == [code], parsed.findings
print("refused", code)
"""


@pytest.mark.parametrize("case", ["zip bomb", "billion laughs", "100 MB sheet"])
def test_refusal_stays_within_a_memory_and_time_bound(case):
    """In a child process capped at 1.5 GB of address space and a 120 s timeout."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, case],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(ROOT),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "refused" in done.stdout


amounts = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=10, deadline=None)
@given(amounts, amounts, amounts, st.dates(date(2000, 1, 1), date(2040, 1, 1)))
def test_round_trip_property(pv1, pv2, aux, start):
    raw = filled(
        values={"EG": {"PV1": pv1, "PV2": pv2}, "EC_aux": aux},
        period=(start, start + timedelta(days=180)),
    )
    data = read_monitoring_workbook(raw, "x.xlsx", project="XA001").data
    by_name = {v["parameter"]: v for v in data["values"]}
    assert by_name["EG"]["per_unit"] == {"PV1": pv1, "PV2": pv2}
    assert by_name["EC_aux"]["value"] == aux
    assert data["period"]["start"] == start
