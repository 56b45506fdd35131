"""Fill the input cells of a generated Monitoring Report Sheet (for tests and synthetic data).

The secretariat fills sheets in a spreadsheet program; this does the same from code, so that
the round trip write → fill → read → recompute can be tested, and LibreOffice can recalculate
a filled sheet independently.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from generator.render.workbook import workbook_bytes
from generator.schema import workbook as L


def fill_report(
    raw: bytes,
    period: tuple[date, date] | None,
    source: str | None,
    values: dict[str, Decimal | dict[str, Decimal]],
    options: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
) -> bytes:
    """Write monitored values (per unit where the parameter is) into `MRS(input)`."""
    wb = load_workbook(io.BytesIO(raw))
    ws = wb[L.MRS_INPUT]
    if period is not None:
        ws[L.PERIOD_START].value, ws[L.PERIOD_END].value = period
    if source is not None:
        ws[L.SOURCE_CELL].value = source
    row = L.MRS_FIRST_ROW
    while ws.cell(row, L.COL["c"]).value:
        name = ws.cell(row, L.COL["c"]).value
        unit = ws.cell(row, L.COL["b"]).value
        given: Any = values.get(name)
        value = given.get(unit) if isinstance(given, dict) else given
        if value is not None:
            ws.cell(row, L.COL["e"]).value = value
        if options and name in options:
            ws.cell(row, L.COL["g"]).value = f"Option {options[name]}"
        if units and name in units:
            ws.cell(row, L.COL["f"]).value = units[name]
        row += 1
    return workbook_bytes(wb)
