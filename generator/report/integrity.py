"""The integrity tally: per finding code, how many records passed, and what the others got."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.findings import Finding, catalogue
from generator.rules import Outcome, Passed, registered_rules


@dataclass
class RuleTally:
    """One code's count of passes and findings, and the first finding on each record."""

    code: str
    title: str
    family: str
    passed: int = 0
    warning: int = 0
    error: int = 0
    incomplete: int = 0
    records: dict[str, Finding] = field(default_factory=dict)
    """Path of a data file → the first finding of this code on it."""


def tally(outcomes: Iterable[Outcome], findings: Iterable[Finding]) -> list[RuleTally]:
    """Per code of a registered rule (and of the identity checks of the link stage).

    **Why** here and not in the pages: the integrity page, its downloads and any other reader
    count the same outcomes once, in the order the rules are registered."""
    entries = catalogue()
    codes = [code for rule in registered_rules() for code in rule.codes]
    codes += [c for c, e in entries.items() if e.family == "identity" and c not in codes]
    rows = {code: RuleTally(code, entries[code].title, entries[code].family) for code in codes}
    for outcome in outcomes:
        if isinstance(outcome, Passed) and outcome.code in rows:
            rows[outcome.code].passed += 1
    for finding in findings:
        row = rows.get(finding.code)
        if row is None:
            continue
        severity = str(finding.severity)
        setattr(row, severity, getattr(row, severity) + 1)
        row.records.setdefault(finding.path, finding)
    return list(rows.values())
