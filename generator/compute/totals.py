"""Registry-wide figures: what the home page, the country pages and the charts show.

Computed here, never in the templates: credits notified and issued per registry, country and
year; projects by derived status and by sectoral scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.link.registry import Registry
from generator.status.fold import State


@dataclass
class Issued:
    japan: int = 0
    partner: int = 0
    unsplit: int = 0
    """Issued in records that give only a total across both registries."""

    @property
    def total(self) -> int:
        return self.japan + self.partner + self.unsplit


@dataclass
class Totals:
    countries: int = 0
    methodologies_approved: int = 0
    projects: int = 0
    projects_by_status: Counter = field(default_factory=Counter)
    projects_by_scope: Counter = field(default_factory=Counter)
    registered_by_country: Counter = field(default_factory=Counter)
    issued: Issued = field(default_factory=Issued)
    issued_by_country: dict[str, Issued] = field(default_factory=dict)
    issued_by_year: dict[tuple[int, str], Issued] = field(default_factory=dict)
    """(year, country) → issued that year."""
    notified: int = 0
    notified_by_country: Counter = field(default_factory=Counter)


def project_scope(registry: Registry, pid: str) -> int | None:
    project = registry.projects[pid]
    for applied in project.model.methodologies:
        hit = registry.version(applied.methodology)
        if hit and hit[0].model.sectoral_scope:
            return hit[0].model.sectoral_scope
    return None


def totals(registry: Registry, state: State) -> Totals:
    out = Totals(countries=len(registry.countries))
    approved = {key.split("@")[0] for key, h in state.versions.items() if h.approved}
    out.methodologies_approved = len(approved)
    for pid in sorted(registry.projects):
        if "_PIN" in pid:
            status = state.projects[pid].status_on()
        else:
            out.projects += 1
            status = state.projects[pid].status_on()
        out.projects_by_status[status] += 1
        scope = project_scope(registry, pid)
        out.projects_by_scope[scope or 0] += 1
        if status == "registered":
            out.registered_by_country[pid[:2]] += 1
    for act in state.acts:
        if act.item.type == "notify_issuance" and act.item.quantity is not None:
            out.notified += act.item.quantity
            out.notified_by_country[act.item_ref.country] += act.item.quantity
    by_country: dict[str, Issued] = defaultdict(Issued)
    by_year: dict[tuple[int, str], Issued] = defaultdict(Issued)
    for pid, records in sorted(registry.issuances.items()):
        country = pid[:2]
        for record in records:
            model = record.model
            sides = {"japan": model.japan, "partner": model.partner}
            known = 0
            for side, part in sides.items():
                if part is None or part.total is None:
                    continue
                known += part.total
                year = (part.issued_on or model.file_date).year
                for bucket in (out.issued, by_country[country], by_year[(year, country)]):
                    setattr(bucket, side, getattr(bucket, side) + part.total)
            if model.total is not None and model.total > known:
                rest = model.total - known
                year = model.file_date.year
                for bucket in (out.issued, by_country[country], by_year[(year, country)]):
                    bucket.unsplit += rest
    out.issued_by_country = dict(sorted(by_country.items()))
    out.issued_by_year = dict(sorted(by_year.items()))
    return out
