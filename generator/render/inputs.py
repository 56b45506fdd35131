"""What each record page is made from: the digest source that lets a rebuild keep the page a
previous build made from the same inputs.

A record's page shows the record (a project: with its monitoring reports and issuances), the
records it refers to and the records that refer to it, as the link stage's references name them
(`generator.link.dependencies`), and what the generator derived from them. Its inputs are:
- the digest of each of those files;
- the decisions of the record's partner country, and its own record, as one digest: the
  statuses, adoption dates, rule parameters and designations a page shows are folded from them
  (`generator.status.fold`);
- the findings on the records the page shows, as the rules made them (a rule may look across
  the registry: its findings are taken as they are, not from their files);
- the commits of the record's file (its history section);
- what every page shares: the reference tables and the site's settings.

**Why** files and derived values rather than a record's own file alone: a page changes when a
decision registers its project, when the country's name changes, when a rule finds something
new. A test changes records of every kind, rebuilds, and compares with a full build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

from generator.link.dependencies import references
from generator.load.records import Record
from generator.render.views import Views

RECORDS = ("country", "decision", "methodology", "tpe", "project", "monitoring", "issuance")
"""The record kinds; the other kinds are reference tables every page may read."""


class Inputs:
    """The inputs of each record page of one registry."""

    def __init__(self, views: Views) -> None:
        self.views = views
        reg = views.registry
        self.records = {self._id(r): r for r in reg.loaded.all_records()}
        self.forward: dict[str, set[str]] = {}
        self.reverse: dict[str, set[str]] = {}
        for name, record in self.records.items():
            targets = {t for ref in references(record) if (t := self._resolve(ref))}
            self.forward[name] = targets
            for target in targets:
                self.reverse.setdefault(target, set()).add(name)
        shared = sorted(
            f"{name} {r.digest}" for name, r in self.records.items() if r.kind not in RECORDS
        )
        self.common = "\n".join([repr(views.config), *shared])
        self._countries: dict[str, str] = {}

    @staticmethod
    def _id(record: Record) -> str:
        return f"{record.kind}:{record.key}"

    def _resolve(self, ref: str) -> str | None:
        """A reference (`tpe:TPE-MN-001`) → the record it names (`tpe:jqa`), if there is one."""
        kind, _, key = ref.partition(":")
        if kind == "tpe":
            key = self.views.registry.tpe_slug(key) or key
        name = f"{kind}:{key}"
        return name if name in self.records else None

    def country(self, code: str) -> str:
        """The country's record and every decision of its Joint Committee, as one digest."""
        if code not in self._countries:
            reg = self.views.registry
            country = reg.countries.get(code)
            parts = [country.digest if country else f"no country {code}"]
            parts += sorted(d.digest for d in reg.decisions_of(code))
            self._countries[code] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self._countries[code]

    def _digest(
        self,
        shown: list[Record],
        neighbours: Iterable[str],
        countries: Collection[str],
        extra: Iterable[str] = (),
    ) -> bytes:
        files = {self._id(r) for r in shown} | set(neighbours)
        lines = [self.common]
        lines += sorted(f"{name} {self.records[name].digest}" for name in files)
        lines += [f"country {c} {self.country(c)}" for c in sorted(set(countries))]
        lines += [repr(f) for f in self.views.findings_of(*shown)]
        lines += [
            f"commit {c.sha} {c.date.isoformat()} {c.author}\t{c.subject}"
            for c in self.views.history_of(shown[0])
        ]
        lines += list(extra)
        return "\n".join(lines).encode()

    def _near(self, shown: list[Record], both_ways: bool = True) -> set[str]:
        near: set[str] = set()
        for record in shown:
            name = self._id(record)
            near |= self.forward.get(name, set())
            if both_ways:
                near |= self.reverse.get(name, set())
        return near

    def project(self, pid: str) -> bytes:
        reg = self.views.registry
        record = reg.projects[pid]
        shown = [record, *reg.issuances.get(pid, []), *reg.monitoring.get(pid, [])]
        return self._digest(shown, self._near(shown), [record.model.country])

    def methodology(self, mid: str, sheets: Collection[str]) -> bytes:
        reg = self.views.registry
        record = reg.methodologies[mid]
        near = self._near([record])
        countries = {record.model.country} | {
            reg.projects[n.partition(":")[2]].model.country
            for n in near
            if n.startswith("project:")
        }
        mine = sorted(s for s in sheets if f"/JCM_{mid}_ver" in s)
        return self._digest([record], near, countries, mine)

    def tpe(self, slug: str) -> bytes:
        record = self.views.registry.tpes[slug]
        near = self._near([record])
        countries = {d.country for d in record.model.designations}
        countries |= {n.partition(":")[2] for n in near if n.startswith("country:")}
        # the countries of the decisions designating it (their names, their other decisions)
        countries |= {self.records[n].model.country for n in near if n.startswith("decision:")}
        return self._digest([record], near, countries)

    def decision(self, key: str) -> bytes:
        record = self.views.registry.decisions[key]
        return self._digest([record], self._near([record], both_ways=False), [record.model.country])

    def spreadsheet(self, mid: str) -> bytes:
        record = self.views.registry.methodologies[mid]
        return f"{self.common}\n{record.digest}".encode()
