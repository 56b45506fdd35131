"""Coverage: how much of each kind of record the public record shows, and what is missing.

**Why**: the bundled data is compiled from public sources, which are silent on much of the
JCM's history. The registry says so, per kind and per country, instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.link.registry import Registry
from generator.status.fold import State


@dataclass(frozen=True)
class Measure:
    kind: str
    label: str
    known: int
    total: int
    by_country: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return self.total - self.known


def _measure(
    kind: str, label: str, items: list[tuple[str, Any]], test: Callable[[Any], bool]
) -> Measure:
    by_country: dict[str, list[int]] = {}
    known = 0
    for country, item in items:
        hit = bool(test(item))
        known += hit
        cell = by_country.setdefault(country, [0, 0])
        cell[0] += hit
        cell[1] += 1
    return Measure(
        kind, label, known, len(items), {c: (k, t) for c, (k, t) in sorted(by_country.items())}
    )


def coverage(registry: Registry, state: State) -> list[Measure]:
    """The coverage measures shown by `jcm validate` and on the integrity page."""
    countries = [(c, r) for c, r in sorted(registry.countries.items())]
    decisions = [(r.model.country, r) for _, r in sorted(registry.decisions.items())]
    versions = [
        (k[:2], (k, registry.version(k))) for k in sorted(registry.versions) if k[3:5] == "AM"
    ]
    projects = [
        (pid[:2], (pid, r)) for pid, r in sorted(registry.projects.items()) if "_PIN" not in pid
    ]
    registered = [
        (c, (pid, r)) for c, (pid, r) in projects if state.projects[pid].registered is not None
    ]
    notifications = [
        (a.item_ref.country, a) for a in state.acts if a.item.type == "notify_issuance"
    ]
    monitoring = [(r.key[:2], r) for reports in registry.monitoring.values() for r in reports]
    return [
        _measure(
            "countries",
            "bilateral instrument signing date",
            countries,
            lambda r: r.model.instrument and r.model.instrument.signed_on,
        ),
        _measure(
            "countries",
            "Joint Committee membership",
            countries,
            lambda r: r.model.joint_committee and r.model.joint_committee.members,
        ),
        _measure(
            "decisions",
            "form known (meeting or electronic)",
            decisions,
            lambda r: r.model.meeting is not None or r.model.electronic is not None,
        ),
        _measure(
            "decisions",
            "read in a decision record (not derived from a list)",
            decisions,
            lambda r: not any(d.field == "date" for d in r.model.derived),
        ),
        _measure(
            "methodologies",
            "versions with an approval decision",
            versions,
            lambda kv: state.versions[kv[0]].approved is not None,
        ),
        _measure(
            "methodologies",
            "versions with their equations",
            versions,
            lambda kv: bool(kv[1][1].equations),
        ),
        _measure(
            "projects",
            "registration decision recorded",
            projects,
            lambda pr: state.projects[pr[0]].registered is not None,
        ),
        _measure(
            "projects",
            "validation recorded (TPE, report)",
            projects,
            lambda pr: pr[1].model.validation is not None,
        ),
        _measure(
            "projects",
            "estimated emission reductions (PDD)",
            projects,
            lambda pr: pr[1].model.estimates is not None,
        ),
        _measure("projects", "location", projects, lambda pr: pr[1].model.location is not None),
        _measure(
            "projects",
            "registered projects with a monitoring report",
            registered,
            lambda pr: bool(registry.monitoring.get(pr[0])),
        ),
        _measure(
            "monitoring",
            "monitoring reports with monitored values",
            monitoring,
            lambda r: bool(r.model.values),
        ),
        _measure(
            "monitoring",
            "monitoring reports with their verification",
            monitoring,
            lambda r: r.model.verification is not None,
        ),
        _measure(
            "issuances",
            "notifications with the quantity notified",
            notifications,
            lambda a: a.item.quantity is not None,
        ),
        _measure(
            "issuances",
            "notifications followed by a recorded issuance",
            notifications,
            lambda a: any(
                i.model.notification == a.ref
                or (i.model.notified_on == a.item_ref.decision.model.date)
                for i in registry.issuances.get(a.item.project, [])
            ),
        ),
    ]


def format_coverage(measures: list[Measure]) -> str:
    """The coverage table printed after the findings of `jcm validate`."""
    lines = ["Coverage of the public record (known / total):"]
    for m in measures:
        share = f"{m.known / m.total:.0%}" if m.total else "—"
        lines.append(f"  {m.kind:<14} {m.label:<56} {m.known:>5} / {m.total:<5} {share:>4}")
    return "\n".join(lines)
