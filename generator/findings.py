"""Findings: every problem the registry reports, and the catalogue of their codes.

A finding says where (file, line, column), what (a stable code and a plain-words message) and
how to fix it (the remedy). Codes, titles, message templates and remedies live in
`findings_catalogue.yaml` beside this module, so wording is data and each code is documented on
the site from the same source.

**Why** severity is a field and not part of the code: the same rule can be an error or a
warning depending on the provenance of the limit it checks (issue: "severity follows
provenance"). The printed code carries the severity as a one-letter prefix (`E-`, `W-`, `I-`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml


class Severity(StrEnum):
    """How bad a finding is. `incomplete` is not a fault: the public record is silent."""

    ERROR = "error"
    WARNING = "warning"
    INCOMPLETE = "incomplete"

    @property
    def letter(self) -> str:
        return {"error": "E", "warning": "W", "incomplete": "I"}[self.value]


@dataclass(frozen=True)
class CatalogueEntry:
    """One code of the catalogue, as documented on the site."""

    code: str
    family: str
    severity: Severity
    title: str
    message: str
    remedy: str
    explanation: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    """A problem (or a coverage gap) at a place in the registry's files."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    remedy: str = field(compare=False, default="")
    record: str = field(compare=False, default="")

    @property
    def printed_code(self) -> str:
        return f"{self.severity.letter}-{self.code}"

    @property
    def cell(self) -> str:
        """For a finding in a workbook: the sheet and cell, e.g. `'MRS(input)'!E12`."""
        if not self.path.endswith(".xlsx"):
            return ""
        letters, number = "", self.col
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(65 + rest) + letters
        return f"'MRS(input)'!{letters}{self.line}"

    def as_text(self) -> str:
        tail = f"; {self.remedy}" if self.remedy else ""
        where = f"[{self.cell}] " if self.cell and self.cell not in self.message else ""
        return (
            f"{self.path}:{self.line}:{self.col}: {self.printed_code} {where}{self.message}{tail}"
        )

    def as_github(self) -> str:
        level = {"error": "error", "warning": "warning", "incomplete": "notice"}[self.severity]
        text = f"{self.message}; {self.remedy}" if self.remedy else self.message
        return (
            f"::{level} file={_gh_prop(self.path)},line={self.line},col={self.col},"
            f"title={_gh_prop(self.printed_code)}::{_gh_data(text)}"
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["printed_code"] = self.printed_code
        return data


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


@cache
def catalogue() -> dict[str, CatalogueEntry]:
    """Every finding code, read from `findings_catalogue.yaml` (sorted by code)."""
    text = resources.files("generator").joinpath("findings_catalogue.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    entries = {}
    for family, codes in raw.items():
        for code, spec in codes.items():
            entries[code] = CatalogueEntry(
                code=code,
                family=family,
                severity=Severity(spec["severity"]),
                title=spec["title"],
                message=spec["message"],
                remedy=spec["remedy"],
                explanation=spec.get("explanation", ""),
            )
    return dict(sorted(entries.items()))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def make_finding(
    code: str,
    path: str,
    line: int = 1,
    col: int = 1,
    *,
    severity: Severity | None = None,
    record: str = "",
    **params: Any,
) -> Finding:
    """Build a finding from its catalogue entry, filling the message and remedy templates."""
    entry = catalogue()[code]
    values = _Blank({k: _short(v, 120 if k == "value" else 1000) for k, v in params.items()})
    return Finding(
        path=path,
        line=max(1, line),
        col=max(1, col),
        code=code,
        severity=severity or entry.severity,
        message=entry.message.format_map(values),
        remedy=entry.remedy.format_map(values),
        record=record,
    )


def _short(value: Any, limit: int = 120) -> str:
    """Quote-safe short rendering of a value inside a message (never the whole 1 MB string)."""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """All findings of a run, sorted by file, line, column, code; duplicates dropped."""
    return sorted(set(findings))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def findings_as_json(findings: Iterable[Finding], extra: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"findings": [f.as_dict() for f in findings]}
    if extra:
        payload.update(extra)
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=str)
