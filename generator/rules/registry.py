"""What a rule is: a small function registered under its finding codes, and what it sees.

A rule sees the linked registry and the folded state (never files) and yields findings, and a
`Passed` for each record it checked without complaint, so the integrity page can count passes.
Severity follows provenance: a limit read in an adopted document is an error when breached; a
limit from the 2013 draft, or marked unverified, only a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.compute.recalc import Computed
from generator.findings import Finding, Severity, make_finding
from generator.link.registry import Registry
from generator.load.records import Record
from generator.status.fold import ParamValue, State


@dataclass(frozen=True)
class Passed:
    code: str
    record: str


Outcome = Finding | Passed


@dataclass(frozen=True)
class Rule:
    codes: tuple[str, ...]
    check: Callable[[Context], Iterator[Outcome]]

    @property
    def name(self) -> str:
        return f"{self.check.__module__.rsplit('.', 1)[-1]}.{self.check.__name__}"


RULES: list[Rule] = []


def rule(*codes: str) -> Callable[[Callable[[Context], Iterator[Outcome]]], Callable]:
    """Register a rule function under the finding codes it may report."""

    def register(func: Callable[[Context], Iterator[Outcome]]) -> Callable:
        RULES.append(Rule(codes, func))
        return func

    return register


@dataclass
class Context:
    registry: Registry
    state: State
    computed: Computed

    def finding(
        self,
        code: str,
        record: Record,
        path: tuple = (),
        *,
        severity: Severity | None = None,
        **params: Any,
    ) -> Finding:
        line, col = record.locate(*path)
        return make_finding(
            code, record.path, line, col, severity=severity, record=record.key, **params
        )

    @staticmethod
    def severity_of(limit: ParamValue | None) -> Severity:
        """Error for a limit read in an adopted document; warning otherwise."""
        if limit is None or limit.always_warning or limit.basis != "adopted":
            return Severity.WARNING
        return Severity.ERROR

    @staticmethod
    def basis_words(limit: ParamValue) -> str:
        if limit.origin == "default":
            return {
                "adopted": "the adopted rules",
                "draft": "the 2013 draft rules",
                "unverified": "an unverified default",
            }[limit.basis]
        return f"{limit.origin}" + (" (unverified)" if limit.basis == "unverified" else "")
