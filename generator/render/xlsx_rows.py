"""A download table's rows as worksheet XML, written as openpyxl's write-only mode writes them.

openpyxl builds, binds and serialises an element per cell: at 10,000 projects the ten XLSX
downloads (1.4 million cells) took 42 s, four fifths of the data files. The rows of a table of
plain values (text, whole numbers, decimals, yes/no, dates, blanks) are written here as text,
in the same bytes; openpyxl still writes the rest of the workbook (styles, workbook, sheet
frame) from the header row and one date, and `generator.render.exports` puts these rows in its
sheet.

**Why** it is exact: each value is written the way `openpyxl.cell._writer.etree_write_cell`
writes it (inline strings, `%.16g` numbers, dates as serial days in the date style), and any
value openpyxl would treat otherwise (a formula, an error code, a character it refuses, text
longer than a cell holds, a time, a float, a type of its own) makes the whole table go
through openpyxl instead. `tests/render/test_xlsx_rows.py` compares the workbooks byte for
byte on three registries and on generated tables.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

DATE_STYLE = 1  # the workbook's first style: openpyxl's date format, made by the first date
_CELL_LIMIT = 32767  # characters openpyxl keeps in a cell (it cuts longer text)


class NotPlain(Exception):
    """A value openpyxl would write in some other way than the plain ones here."""


@dataclass(frozen=True)
class SheetRows:
    xml: str  # the <row> elements, one after another
    has_dates: bool


def sheet_rows(rows: Iterable[Sequence[Any]]) -> SheetRows | None:
    """The rows as worksheet XML (rows and columns numbered from 1); None when some value is
    not a plain one (then openpyxl must write the table)."""
    out: list[str] = []
    dates = False
    try:
        for number, values in enumerate(rows, 1):
            cells = []
            for column, value in enumerate(values, 1):
                if value is None:
                    continue
                text, dated = _cell(f"{_letter(column)}{number}", value)
                cells.append(text)
                dates = dates or dated
            out.append(f'<row r="{number}">{"".join(cells)}</row>')
    except NotPlain:
        return None
    return SheetRows("".join(out), dates)


@lru_cache(maxsize=1024)
def _letter(column: int) -> str:
    return get_column_letter(column)


def _cell(ref: str, value: Any) -> tuple[str, bool]:
    kind = type(value)
    if kind is str:
        return _text(ref, value), False
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{safe_string(value)}</v></c>', False
    if kind is int or (kind is decimal.Decimal and value.is_finite()):
        number = safe_string(value)
        if not number:  # a decimal beyond a float's range: openpyxl writes it otherwise
            raise NotPlain("number")
        return f'<c r="{ref}" t="n"><v>{number}</v></c>', False
    if kind is datetime.date:
        days = safe_string(to_excel(value))
        return f'<c r="{ref}" s="{DATE_STYLE}" t="n"><v>{days}</v></c>', True
    raise NotPlain(kind.__name__)


def _text(ref: str, value: str) -> str:
    if (
        len(value) > _CELL_LIMIT
        or ILLEGAL_CHARACTERS_RE.search(value)
        or (len(value) > 1 and value.startswith("="))
        or value in ERROR_CODES
    ):
        raise NotPlain("text")
    if value == "":
        return f'<c r="{ref}" t="inlineStr" />'
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
