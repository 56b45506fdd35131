"""Write a methodology's monitoring spreadsheet (XLSX) with live formulas.

Calculation cells are Excel formulas generated from the same expression trees the engine
evaluates (`compute.expressions.to_excel`), so the spreadsheet and the registry compute the
same thing. Input cells carry data validation and are the only unlocked cells; every sheet is
protected (without a password: the protection prevents accidents, not edits).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.compute import expressions as ex
from generator.compute.methodology import Compiled
from generator.schema import workbook as L

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class Target:
    """The project a spreadsheet is made for (its units and attributes), if any."""

    project: str = ""
    units: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    """(unit id, description, attributes) per unit i."""
    attributes: dict[str, str] = field(default_factory=dict)
    estimated: dict[str, Any] = field(default_factory=dict)


@dataclass
class Cells:
    """Where each value lives, per sheet pair (plan or report)."""

    scalar: dict[str, str] = field(default_factory=dict)
    per_unit: dict[str, dict[str, str]] = field(default_factory=dict)
    equation: dict[str, str] = field(default_factory=dict)
    result: str = ""


def _ref(sheet: str, column: int, row: int) -> str:
    return f"'{sheet}'!${get_column_letter(column)}${row}"


def text(cell: Any, value: Any) -> None:
    """Write record text as text: never let openpyxl read a leading `=` as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _input(cell: Any) -> None:
    cell.fill = INPUT_FILL
    cell.protection = Protection(locked=False)


def _header(ws: Worksheet, name: str, target: Target, title: str) -> None:
    text(ws[L.NAME_CELL], name)
    ws[L.NAME_CELL].font = Font(bold=True, size=12)
    text(ws[L.REFERENCE_LABEL], "Reference Number")
    text(ws[L.REFERENCE_CELL], target.project)
    if not target.project:
        _input(ws[L.REFERENCE_CELL])
    text(ws[L.TITLE_CELL], title)
    ws[L.TITLE_CELL].font = HEAD_FONT


class _Validations:
    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.options: dict[str, DataValidation] = {}

    def options_list(self, allowed: list[str], cell: str) -> None:
        choices = allowed or ["A", "B", "C"]
        key = ",".join(f"Option {c}" for c in choices)
        dv = self.options.get(key)
        if dv is None:
            dv = DataValidation(type="list", formula1=f'"{key}"', allow_blank=True)
            dv.error = f"Choose one of: {key}"
            dv.errorTitle = "Monitoring option"
            self.ws.add_data_validation(dv)
            self.options[key] = dv
        dv.add(cell)

    def number(self, cell: str, low: Decimal | None, high: Decimal | None) -> None:
        if low is not None and high is not None:
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=True,
                errorStyle="warning",
            )
            dv.error = f"Outside the valid range {low} to {high}: check the value and its unit"
        elif low is not None:
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1=str(low),
                allow_blank=True,
                errorStyle="warning",
            )
            dv.error = f"Below the smallest valid value {low}"
        else:
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1="-1E+300",
                formula2="1E+300",
                allow_blank=True,
                errorStyle="stop",
            )
            dv.error = "A number is expected here"
        dv.errorTitle = "Number"
        self.ws.add_data_validation(dv)
        dv.add(cell)

    def date(self, cell: str) -> None:
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
        dv.error = "A date is expected here (YYYY-MM-DD)"
        self.ws.add_data_validation(dv)
        dv.add(cell)

    def choices(self, cell: str, values: list[str]) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.error = "Choose one of: " + ", ".join(values)
        self.ws.add_data_validation(dv)
        dv.add(cell)


def target_for(project: Any, methodology_ref: str) -> Target:
    """The project a spreadsheet is made for: its units, attributes and estimated values."""
    model = project.model
    applied = next((a for a in model.methodologies if a.methodology == methodology_ref), None)
    attributes = dict(applied.attributes) if applied else {}
    return Target(
        project=model.id,
        units=[(u.id, u.description, {**attributes, **u.attributes}) for u in model.units],
        attributes=attributes,
        estimated=dict(applied.estimated_values) if applied else {},
    )


def _units_for(target: Target) -> list[tuple[str, str, dict[str, str]]]:
    return target.units or [("1", "unit i = 1", {})]


def build_workbook(compiled: Compiled, methodology: str, target: Target) -> Workbook:
    """The five-sheet workbook of one methodology version, for a project or generic."""
    version = compiled.version
    name = L.spreadsheet_name(methodology, version.version or "")
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {title: wb.create_sheet(title) for title in L.SHEETS}
    for title, ws in sheets.items():
        _header(ws, name, target, L.TITLES[title])
    units = _units_for(target)
    plan = Cells()
    report = Cells()
    _plan_input(sheets[L.MPS_INPUT], compiled, target, units, plan, report)
    _report_input(sheets[L.MRS_INPUT], compiled, units, report)
    _calc(
        sheets[L.MPS_CALC],
        L.MPS_CALC,
        compiled,
        units,
        plan,
        "Estimated emission reductions per year",
    )
    _calc(
        sheets[L.MRS_CALC],
        L.MRS_CALC,
        compiled,
        units,
        report,
        "CO2 emission reductions in the monitoring period",
    )
    _structure(sheets[L.MSS])
    for ws in sheets.values():
        ws.protection.sheet = True
        ws.protection.formatCells = False
        ws.protection.formatColumns = False
        ws.column_dimensions["A"].width = 28
        for column in "BCDEFGHIJK":
            ws.column_dimensions[column].width = 18
    wb.properties.title = name
    wb.properties.creator = "JCM Registry generator"
    return wb


def _plan_input(
    ws: Worksheet,
    compiled: Compiled,
    target: Target,
    units: list[tuple[str, str, dict[str, str]]],
    plan: Cells,
    report: Cells,
) -> None:
    checks = _Validations(ws)
    row = 5
    text(ws.cell(row, 1), "Table 1: Parameters to be monitored ex post (estimated values)")
    ws.cell(row, 1).font = HEAD_FONT
    row += 1
    heads = [
        "Monitoring point No.",
        "Parameters",
        "Description of data",
        "Estimated values",
        "Units",
        "Monitoring option",
        "Source of data",
        "Measurement methods and procedures",
        "Monitoring frequency",
        "Other comments",
    ]
    for col, head in enumerate(heads, start=1):
        text(ws.cell(row, col), head)
        ws.cell(row, col).font = HEAD_FONT
    row += 1
    for parameter in compiled.version.parameters:
        if parameter.kind != "monitored":
            continue
        rows = [(uid, desc) for uid, desc, _ in units] if parameter.per_unit else [("", "")]
        estimate = target.estimated.get(parameter.name)
        for uid, _desc in rows:
            text(ws.cell(row, 1), uid or "-")
            text(ws.cell(row, 2), parameter.name)
            text(ws.cell(row, 3), parameter.description)
            value_cell = ws.cell(row, 4)
            value = estimate.get(uid) if isinstance(estimate, dict) else estimate
            if value is not None:
                value_cell.value = value
            _input(value_cell)
            checks.number(
                value_cell.coordinate,
                getattr(parameter.range, "min", None),
                getattr(parameter.range, "max", None),
            )
            text(ws.cell(row, 5), parameter.unit)
            option = ws.cell(row, 6)
            _input(option)
            checks.options_list(parameter.monitoring_options, option.coordinate)
            if len(parameter.monitoring_options) == 1:
                option.value = f"Option {parameter.monitoring_options[0]}"
            for col in (7, 8, 9, 10):
                _input(ws.cell(row, col))
            ref = _ref(L.MPS_INPUT, 4, row)
            if parameter.per_unit:
                plan.per_unit.setdefault(parameter.name, {})[uid] = ref
            else:
                plan.scalar[parameter.name] = ref
            row += 1
    row += 1
    text(ws.cell(row, 1), "Table 2: Project-specific parameters fixed ex ante, and default values")
    ws.cell(row, 1).font = HEAD_FONT
    row += 1
    for col, head in enumerate(
        [
            "Unit i",
            "Parameters",
            "Description of data",
            "Values",
            "Units",
            "Kind",
            "Source of data",
            "Attributes selecting a default value",
        ],
        start=1,
    ):
        text(ws.cell(row, col), head)
        ws.cell(row, col).font = HEAD_FONT
    row += 1
    tables: list[tuple[Any, int, list[str]]] = []
    selectors: dict[tuple[str, str, str], str] = {}
    for parameter in compiled.version.parameters:
        if parameter.kind == "monitored":
            continue
        rows = [(uid, attrs) for uid, _, attrs in units] if parameter.per_unit else [("", {})]
        for uid, unit_attrs in rows:
            text(ws.cell(row, 1), uid or "-")
            text(ws.cell(row, 2), parameter.name)
            text(ws.cell(row, 3), parameter.description)
            value_cell = ws.cell(row, 4)
            text(ws.cell(row, 5), parameter.unit)
            text(ws.cell(row, 6), parameter.kind)
            text(ws.cell(row, 7), parameter.source or "")
            if parameter.kind == "ex-ante":
                estimate = target.estimated.get(parameter.name)
                value = estimate.get(uid) if isinstance(estimate, dict) else estimate
                if value is not None:
                    value_cell.value = value
                _input(value_cell)
                checks.number(
                    value_cell.coordinate,
                    getattr(parameter.range, "min", None),
                    getattr(parameter.range, "max", None),
                )
            elif parameter.table is None and parameter.value is None:
                # the default is not in the public record: never a guess, an input cell
                _input(value_cell)
                checks.number(value_cell.coordinate, None, None)
                text(
                    ws.cell(row, 7),
                    "default value not public: type it from the approved methodology",
                )
            elif parameter.table is None:
                value_cell.value = parameter.value
            else:
                attrs = {**target.attributes, **unit_attrs}
                keys = []
                for key in parameter.table.keys:
                    selector = selectors.get((parameter.name, uid, key))
                    if selector is None:
                        col = 8 + len(keys)
                        cell = ws.cell(row, col)
                        cell.value = attrs.get(key)
                        _input(cell)
                        choices = sorted({r.when.get(key, "") for r in parameter.table.rows})
                        checks.choices(cell.coordinate, choices)
                        selector = cell.coordinate.replace(
                            cell.column_letter, f"${cell.column_letter}$"
                        )
                        selectors[(parameter.name, uid, key)] = selector
                    keys.append(selector)
                tables.append((parameter, row, keys))
            ref = _ref(L.MPS_INPUT, 4, row)
            for cells in (plan, report):
                if parameter.per_unit:
                    cells.per_unit.setdefault(parameter.name, {})[uid] = ref
                else:
                    cells.scalar[parameter.name] = ref
            row += 1
    if tables:
        row += 1
        text(ws.cell(row, 1), "Table 3: Default values by attributes")
        ws.cell(row, 1).font = HEAD_FONT
        row += 1
        ranges: dict[str, str] = {}
        for parameter in {p.name: p for p, _, _ in tables}.values():
            text(ws.cell(row, 1), parameter.name)
            text(ws.cell(row, 2), "key (" + " | ".join(parameter.table.keys) + ")")
            text(ws.cell(row, 3), "value")
            for col in (1, 2, 3):
                ws.cell(row, col).font = HEAD_FONT
            first = row + 1
            for table_row in parameter.table.rows:
                row += 1
                text(
                    ws.cell(row, 2),
                    "|".join(table_row.when.get(k, "") for k in parameter.table.keys),
                )
                ws.cell(row, 3).value = table_row.value
            ranges[parameter.name] = f"$B${first}:$C${row}"
            row += 1
        for parameter, at, keys in tables:
            joined = '&"|"&'.join(keys)
            ws.cell(at, 4).value = f"=VLOOKUP({joined},{ranges[parameter.name]},2,FALSE)"


def _report_input(
    ws: Worksheet, compiled: Compiled, units: list[tuple[str, str, dict[str, str]]], report: Cells
) -> None:
    checks = _Validations(ws)
    text(ws[L.PERIOD_LABEL], "Monitoring period (first day, last day)")
    for coordinate in (L.PERIOD_START, L.PERIOD_END):
        _input(ws[coordinate])
        ws[coordinate].number_format = DATE_FORMAT
        checks.date(coordinate)
    text(ws["C5"], "to")
    text(ws[L.SOURCE_LABEL], "Public address of this monitoring report")
    _input(ws[L.SOURCE_CELL])
    text(ws.cell(L.MRS_TABLE_TITLE_ROW, 1), "Table 1: Parameters monitored ex post")
    ws.cell(L.MRS_TABLE_TITLE_ROW, 1).font = HEAD_FONT
    for col, (letter, title) in enumerate(L.MRS_COLUMNS, start=1):
        text(ws.cell(L.MRS_HEADER_ROW, col), f"({letter})")
        text(ws.cell(L.MRS_HEADER_ROW + 1, col), title)
        ws.cell(L.MRS_HEADER_ROW, col).font = HEAD_FONT
        ws.cell(L.MRS_HEADER_ROW + 1, col).font = HEAD_FONT
        ws.cell(L.MRS_HEADER_ROW + 1, col).alignment = Alignment(wrap_text=True)
    row = L.MRS_FIRST_ROW
    period = f'=TEXT({L.PERIOD_START},"yyyy-mm-dd")&" to "&TEXT({L.PERIOD_END},"yyyy-mm-dd")'
    for parameter in compiled.version.parameters:
        if parameter.kind != "monitored":
            continue
        rows = [uid for uid, _, _ in units] if parameter.per_unit else [""]
        for uid in rows:
            ws.cell(row, L.COL["a"]).value = period
            text(ws.cell(row, L.COL["b"]), uid or "-")
            text(ws.cell(row, L.COL["c"]), parameter.name)
            text(ws.cell(row, L.COL["d"]), parameter.description)
            value_cell = ws.cell(row, L.COL["e"])
            _input(value_cell)
            checks.number(
                value_cell.coordinate,
                getattr(parameter.range, "min", None),
                getattr(parameter.range, "max", None),
            )
            text(ws.cell(row, L.COL["f"]), parameter.unit)
            option = ws.cell(row, L.COL["g"])
            _input(option)
            checks.options_list(parameter.monitoring_options, option.coordinate)
            if len(parameter.monitoring_options) == 1:
                option.value = f"Option {parameter.monitoring_options[0]}"
            for letter in "hijk":
                _input(ws.cell(row, L.COL[letter]))
            ref = _ref(L.MRS_INPUT, L.COL["e"], row)
            if parameter.per_unit:
                report.per_unit.setdefault(parameter.name, {})[uid] = ref
            else:
                report.scalar[parameter.name] = ref
            row += 1
    row += 1
    text(ws.cell(row, 1), "[Monitoring option]")
    ws.cell(row, 1).font = HEAD_FONT
    for option, words in L.OPTIONS_LEGEND:
        row += 1
        text(ws.cell(row, 1), option)
        text(ws.cell(row, 2), words)


def _calc(
    ws: Worksheet,
    sheet: str,
    compiled: Compiled,
    units: list[tuple[str, str, dict[str, str]]],
    cells: Cells,
    title: str,
) -> None:
    """Helper columns for each sum over units, then one row per equation, then the result."""
    sums = [n for e in compiled.equations for n in ex.walk(e.node) if isinstance(n, ex.SumUnits)]
    row = 5
    sum_ranges: dict[int, str] = {}
    if sums:
        text(ws.cell(row, 1), "Sums over units i")
        ws.cell(row, 1).font = HEAD_FONT
        row += 1
        text(ws.cell(row, 1), "Unit i")
        for k in range(len(sums)):
            text(ws.cell(row, 2 + k), f"term {k + 1}")
            ws.cell(row, 2 + k).font = HEAD_FONT
        first = row + 1
        for uid, _desc, _attrs in units:
            row += 1
            text(ws.cell(row, 1), uid)
            for k, node in enumerate(sums):

                def cell(name: str, per_unit: bool, uid: str = uid) -> str:
                    if per_unit:
                        return cells.per_unit[name][uid]
                    return cells.scalar.get(name) or cells.equation[name]

                ws.cell(row, 2 + k).value = "=" + ex.to_excel(node.body, cell, _no_sum)
        for k, node in enumerate(sums):
            letter = get_column_letter(2 + k)
            sum_ranges[id(node)] = f"'{sheet}'!${letter}${first}:${letter}${row}"
        row += 2
    text(ws.cell(row, 1), "Equation")
    text(ws.cell(row, 2), "Expression")
    text(ws.cell(row, 3), "Value")
    text(ws.cell(row, 4), "Unit")
    text(ws.cell(row, 5), "Description")
    for col in range(1, 6):
        ws.cell(row, col).font = HEAD_FONT
    for equation in compiled.equations:
        row += 1
        declared = compiled.version.equations[equation.index]
        text(ws.cell(row, 1), equation.name)
        text(ws.cell(row, 2), declared.expression)
        text(ws.cell(row, 4), declared.unit)
        text(ws.cell(row, 5), declared.description or "")

        def cell(name: str, per_unit: bool) -> str:
            return cells.scalar.get(name) or cells.equation[name]

        ws.cell(row, 3).value = "=" + ex.to_excel(equation.node, cell, lambda n: sum_ranges[id(n)])
        cells.equation[equation.name] = _ref(sheet, 3, row)
    rounding = compiled.rounding.get("ER_p")
    if "ER_p" in cells.equation:
        row += 2
        text(ws.cell(row, 1), title)
        ws.cell(row, 1).font = HEAD_FONT
        function = {"down": "ROUNDDOWN", "up": "ROUNDUP", "half-up": "ROUND"}
        if rounding is not None:
            formula = f"={function[rounding.method]}({cells.equation['ER_p']},{rounding.digits})"
        else:
            formula = f"={cells.equation['ER_p']}"
        ws.cell(row, 3).value = formula
        text(ws.cell(row, 4), "tCO2")
        cells.result = _ref(sheet, 3, row)


def _no_sum(node: ex.Node) -> str:  # pragma: no cover - nested sums are refused at parse
    raise ValueError("nested sum over units")


def _structure(ws: Worksheet) -> None:
    text(ws.cell(5, 1), "Responsible personnel")
    text(ws.cell(5, 2), "Role")
    ws.cell(5, 1).font = HEAD_FONT
    ws.cell(5, 2).font = HEAD_FONT
    row = 5
    for person, role in L.MSS_ROLES:
        row += 1
        text(ws.cell(row, 1), person)
        text(ws.cell(row, 2), role)
        _input(ws.cell(row, 1))
        _input(ws.cell(row, 2))
    for _ in range(4):
        row += 1
        _input(ws.cell(row, 1))
        _input(ws.cell(row, 2))
    ws.column_dimensions["B"].width = 80


FIXED_TIME = datetime(2013, 1, 8, tzinfo=None)
"""Timestamp written into every workbook: the same methodology gives the same bytes."""


def workbook_bytes(
    wb: Workbook, edits: Mapping[str, Callable[[bytes], bytes]] | None = None
) -> bytes:
    """The workbook as XLSX bytes, byte-identical for identical content. `edits`: a part of
    the package (`xl/worksheets/sheet1.xml`) → how to change its bytes before they are kept."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    missing = set(edits or ()) - set(source.namelist())
    if missing:
        raise ValueError(f"no part {sorted(missing)} in the workbook to edit")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving; the registry's bytes must not depend on it
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2013-01-08T00:00:00Z\g<2>",
                    data,
                )
            if edits and info.filename in edits:
                data = edits[info.filename](data)
            target.writestr(fixed, data)
    return out.getvalue()
