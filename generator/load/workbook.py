"""Read a filled Monitoring Report Sheet into a monitoring report record.

Workbooks come from anyone, so the file is checked before any XML is parsed: size, zip
structure, uncompressed size (zip bombs), macros, external links, encryption, and XML entity
declarations. Only the input cells of `MRS(input)` are read; cached formula results are ignored
(everything is recomputed); numbers stored as binary doubles by the file format are converted by
their shortest representation (`Decimal(repr(x))`).

Problems are findings at `row:column` of the workbook, with the sheet and cell in the message.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from generator.findings import make_finding
from generator.load.yaml_source import ParsedYaml
from generator.schema import workbook as L

MAX_FILE = 10_000_000
MAX_UNCOMPRESSED = 60_000_000
MAX_RATIO = 150
MAX_ROWS = 5_000
_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_NAME = re.compile(r"^JCM_([A-Z]{2}_AM\d{3})_ver(\d{2}\.\d)$")


def cell_name(row: int, col: int, sheet: str = L.MRS_INPUT) -> str:
    from openpyxl.utils import get_column_letter

    return f"'{sheet}'!{get_column_letter(col)}{row}"


def _refuse(out: ParsedYaml, path: str, code: str, **params: Any) -> ParsedYaml:
    out.findings.append(make_finding(code, path, 1, 1, **params))
    return out


def check_container(raw: bytes, path: str, out: ParsedYaml) -> bool:
    """Everything that must be refused before an XML parser sees the file."""
    if len(raw) > MAX_FILE:
        _refuse(
            out, path, "XLSX-TOO-LARGE", detail=f"the file is {len(raw)} bytes (at most {MAX_FILE})"
        )
        return False
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        _refuse(out, path, "XLSX-ENCRYPTED")
        return False
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        _refuse(out, path, "XLSX-NOT-A-WORKBOOK", detail="")
        return False
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(out, path, "XLSX-NOT-A-WORKBOOK", detail="")
        return False
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(out, path, "XLSX-NOT-A-WORKBOOK", detail="")
        return False
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        _refuse(
            out,
            path,
            "XLSX-TOO-LARGE",
            detail=f"it unpacks to {total} bytes ({total // packed}× its size)",
        )
        return False
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        _refuse(out, path, "XLSX-MACROS")
        return False
    if any(n.startswith("xl/externalLinks/") for n in names):
        _refuse(out, path, "XLSX-EXTERNAL-LINKS")
        return False
    types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in types or b"vbaProject" in types:
        _refuse(out, path, "XLSX-MACROS")
        return False
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                head = part.read(MAX_UNCOMPRESSED)
            if _ENTITY.search(head):
                _refuse(out, path, "XLSX-XML-ENTITIES", part=info.filename)
                return False
    return True


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    return None


def read_monitoring_workbook(raw: bytes, path: str, project: str | None = None) -> ParsedYaml:
    """Parse a Monitoring Report Sheet; returns data shaped like a monitoring YAML record."""
    out = ParsedYaml()
    if not check_container(raw, path, out):
        return out
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        return _refuse(out, path, "XLSX-NOT-A-WORKBOOK", detail=f" ({type(exc).__name__})")
    try:
        if L.MRS_INPUT not in wb.sheetnames:
            return _refuse(out, path, "XLSX-SHEET-MISSING", sheet=L.MRS_INPUT)
        ws = wb[L.MRS_INPUT]
        rows = []
        for index, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if index > MAX_ROWS:
                return _refuse(
                    out,
                    path,
                    "XLSX-TOO-LARGE",
                    detail=f"`{L.MRS_INPUT}` has more than {MAX_ROWS} rows",
                )
            rows.append(row)
    finally:
        wb.close()
    return _read_sheet(rows, path, project, out)


def _get(rows: list[tuple], row: int, col: int) -> Any:
    if row - 1 < len(rows) and col - 1 < len(rows[row - 1]):
        return rows[row - 1][col - 1]
    return None


def _read_sheet(rows: list[tuple], path: str, project: str | None, out: ParsedYaml) -> ParsedYaml:
    def fail(code: str, row: int, col: int, **params: Any) -> None:
        out.findings.append(make_finding(code, path, row, col, cell=cell_name(row, col), **params))

    data: dict[str, Any] = {}
    positions = out.positions
    name = _get(rows, 1, 1)
    match = _NAME.match(name) if isinstance(name, str) else None
    if match is None:
        fail(
            "XLSX-HEADER",
            1,
            1,
            value=name,
            expected="JCM_<methodology>_ver<version>, e.g. JCM_MN_AM003_ver02.0",
        )
    else:
        data["methodology"] = f"{match.group(1)}@{match.group(2)}"
        positions[("methodology",)] = (1, 1)
    reference = _get(rows, 2, 2)
    if project is not None and reference != project:
        fail("XLSX-HEADER", 2, 2, value=reference, expected=f"the project id {project}")
    data["project"] = project or reference
    positions[("project",)] = (2, 2)
    start, end = _get(rows, 5, 2), _get(rows, 5, 4)
    period: dict[str, Any] = {}
    for key, value, col in (("start", start, 2), ("end", end, 4)):
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date):
            period[key] = day
            positions[("period", key)] = (5, col)
        else:
            fail("XLSX-PERIOD", 5, col, value=value)
    if len(period) == 2:
        data["period"] = period
        positions[("period",)] = (5, 2)
    url = _get(rows, 6, 2)
    if isinstance(url, str) and url.strip():
        data["sources"] = [
            {"id": "MRS", "title": "Monitoring Report Sheet (this workbook)", "url": url.strip()}
        ]
        positions[("sources",)] = (6, 2)
    else:
        fail("XLSX-SOURCE", 6, 2)
    values: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    row = L.MRS_FIRST_ROW
    while row <= len(rows):
        parameter = _get(rows, row, L.COL["c"])
        if parameter is None or (isinstance(parameter, str) and not parameter.strip()):
            break
        parameter = str(parameter).strip()
        unit_id = _get(rows, row, L.COL["b"])
        unit_id = None if unit_id in (None, "-", "") else str(unit_id).strip()
        raw_value = _get(rows, row, L.COL["e"])
        entry = values.get(parameter)
        if entry is None:
            entry = {"parameter": parameter}
            values[parameter] = entry
            order.append(parameter)
            index = len(order) - 1
            positions[("values", index)] = (row, L.COL["c"])
            positions[("values", index, "parameter")] = (row, L.COL["c"])
        index = order.index(parameter)
        col_e = L.COL["e"]
        number = _number(raw_value)
        if isinstance(raw_value, str) and raw_value.startswith("="):
            fail("XLSX-FORMULA-IN-INPUT", row, col_e, value=raw_value)
        elif raw_value is None:
            fail("XLSX-EMPTY-VALUE", row, col_e, parameter=parameter)
        elif number is None:
            fail("XLSX-NOT-NUMBER", row, col_e, value=raw_value, parameter=parameter)
        elif unit_id is None:
            entry["value"] = number
            positions[("values", index, "value")] = (row, col_e)
        else:
            entry.setdefault("per_unit", {})[unit_id] = number
            positions[("values", index, "per_unit", unit_id)] = (row, col_e)
            positions.setdefault(("values", index, "per_unit"), (row, col_e))
        for key, letter in (
            ("unit", "f"),
            ("option", "g"),
            ("source", "h"),
            ("method", "i"),
            ("frequency", "j"),
            ("comment", "k"),
        ):
            cell = _get(rows, row, L.COL[letter])
            if cell is None or key in entry:
                continue
            text = str(cell).strip()
            if not text:
                continue
            if key == "option":
                text = text.removeprefix("Option").strip()
            entry[key] = text
            positions[("values", index, key)] = (row, L.COL[letter])
        row += 1
    data["values"] = [values[p] for p in order]
    positions[("values",)] = (L.MRS_FIRST_ROW, L.COL["c"])
    positions[()] = (1, 1)
    out.data = data
    return out
