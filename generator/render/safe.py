"""Neutralising text for the formats data is downloaded in (CSV, XLSX).

Spreadsheet programs execute cells that start with `=`, `+`, `-`, `@`, a tab or a carriage
return. Text cells that start so are prefixed with `'`; numbers stay typed numbers. The rule is
stated in the data package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
RULE = (
    "Text cells that start with =, +, -, @, a tab or a carriage return are prefixed with an "
    "apostrophe (') so that spreadsheet programs do not execute them; numbers are written as "
    "numbers."
)


def cell(value: Any) -> Any:
    """A value ready for a CSV or XLSX cell."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(cell(value) if isinstance(value, str) else value)
