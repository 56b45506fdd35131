"""Link stage: the loaded records as one registry graph, with every identifier resolved.

Builds the indexes the later stages look things up in (decision items by reference, methodology
versions, TPE designation numbers, monitoring reports and issuances per project) and reports
what does not resolve and which records contradict their own file names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.findings import Finding, make_finding
from generator.load.records import Loaded, Record
from generator.load.summary import Summary


@dataclass(frozen=True)
class ItemRef:
    """A decision item, addressable as `<CC>/<decision file stem>#<item id>`."""

    ref: str
    decision: Record
    index: int

    @property
    def item(self) -> Any:
        return self.decision.model.items[self.index]

    @property
    def country(self) -> str:
        return self.decision.model.country

    def locate(self, *path: str | int) -> tuple[int, int]:
        return self.decision.locate("items", self.index, *path)


@dataclass
class Registry:
    """The linked registry: what later stages read (never the files)."""

    loaded: Loaded
    countries: dict[str, Record] = field(default_factory=dict)
    decisions: dict[str, Record] = field(default_factory=dict)
    methodologies: dict[str, Record] = field(default_factory=dict)
    tpes: dict[str, Record] = field(default_factory=dict)
    projects: dict[str, Record] = field(default_factory=dict)
    monitoring: dict[str, list[Record]] = field(default_factory=dict)
    issuances: dict[str, list[Record]] = field(default_factory=dict)
    items: dict[str, ItemRef] = field(default_factory=dict)
    versions: dict[str, tuple[Record, int]] = field(default_factory=dict)
    tpe_numbers: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Designation number → (TPE slug, country)."""
    reference: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    outside: list[Summary] = field(default_factory=list)
    """Summaries of the partitions not loaded, when only some countries are checked (their
    serial blocks in the Japanese registry and the TPE numbers their decisions claim)."""

    # -- lookups used by the rules -----------------------------------------------------------

    def tpe_slug(self, ref: str) -> str | None:
        """A TPE reference (slug or designation number) → its slug."""
        if ref in self.tpes:
            return ref
        hit = self.tpe_numbers.get(ref)
        return hit[0] if hit else None

    def version(self, ref: str) -> tuple[Record, Any] | None:
        hit = self.versions.get(ref)
        if hit is None:
            return None
        record, index = hit
        return record, record.model.versions[index]

    def rule_documents(self) -> dict[str, Any]:
        table = self.reference.get("rule-documents")
        return {d.id: d for d in table.documents} if table else {}

    def rule_parameters(self) -> dict[str, Any]:
        return {p.id: p for d in self.rule_documents().values() for p in d.parameters}

    def mechanisms(self) -> dict[str, Any]:
        table = self.reference.get("mechanisms")
        return {m.id: m for m in table.mechanisms} if table else {}

    def programmes(self) -> dict[str, Any]:
        table = self.reference.get("financing-programmes")
        return {p.id: p for p in table.programmes} if table else {}

    def scopes(self) -> dict[int, Any]:
        table = self.reference.get("sectoral-scopes")
        return {s.number: s for s in table.scopes} if table else {}

    def decisions_of(self, country: str) -> list[Record]:
        return [d for d in self.decisions.values() if d.model.country == country]


def _f(record: Record, code: str, path: tuple, **params: Any) -> Finding:
    line, col = record.locate(*path)
    return make_finding(code, record.path, line, col, record=record.key, **params)


def link(loaded: Loaded, outside: Iterable[Summary] = ()) -> Registry:
    """Index the loaded records and check identities and references."""
    reg = Registry(loaded=loaded, outside=list(outside))
    recs = loaded.records
    reg.countries = dict(recs["country"])
    reg.decisions = dict(recs["decision"])
    reg.methodologies = dict(recs["methodology"])
    reg.tpes = dict(recs["tpe"])
    reg.projects = dict(recs["project"])
    for kind in ("rule-documents", "mechanisms", "sectoral-scopes", "financing-programmes"):
        if kind in recs[kind]:
            reg.reference[kind] = recs[kind][kind].model
    for record in recs["monitoring"].values():
        reg.monitoring.setdefault(record.key.split("/")[0], []).append(record)
    for record in recs["issuance"].values():
        reg.issuances.setdefault(record.key.split("/")[0], []).append(record)
    for reports in reg.monitoring.values():
        reports.sort(key=lambda r: (r.model.period.start, r.model.period.end, r.key))
    for issuances in reg.issuances.values():
        issuances.sort(key=lambda r: r.key)

    for key, record in sorted(reg.decisions.items()):
        for index, item in enumerate(record.model.items):
            ref = f"{key}#{item.id}"
            reg.items[ref] = ItemRef(ref, record, index)
    for key, record in sorted(reg.methodologies.items()):
        for index, version in enumerate(record.model.versions):
            if version.version:
                reg.versions[f"{key}@{version.version}"] = (record, index)
    _index_tpe_numbers(reg)

    reg.findings.extend(_identity(reg))
    reg.findings.extend(_references(reg))
    return reg


def _index_tpe_numbers(reg: Registry) -> None:
    for slug, record in sorted(reg.tpes.items()):
        for i, designation in enumerate(record.model.designations):
            _claim_number(
                reg,
                designation.number,
                slug,
                designation.country,
                record,
                ("designations", i, "number"),
            )
    claims: list[tuple[str, ItemRef | None, Any]] = [
        (ref, item_ref, None)
        for ref, item_ref in reg.items.items()
        if item_ref.item.type == "designate_tpe" and item_ref.item.number
    ]
    claims += [(c.ref, None, c) for summary in reg.outside for c in summary.claims]
    for _ref, item_ref, claim in sorted(claims, key=lambda c: c[0]):
        if item_ref is None:  # claimed in a partition not loaded: its findings are not ours
            owner = reg.tpe_numbers.get(claim.number)
            if not owner or owner[0] == claim.tpe:
                reg.tpe_numbers[claim.number] = (claim.tpe, claim.country)
            continue
        item = item_ref.item
        _claim_number(
            reg,
            item.number,
            item.tpe,
            item_ref.country,
            item_ref.decision,
            ("items", item_ref.index, "number"),
        )


def _claim_number(
    reg: Registry, number: str, slug: str, country: str, record: Record, path: tuple
) -> None:
    if number[4:6] != country:
        reg.findings.append(
            _f(
                record,
                "ID-COUNTRY",
                path,
                value=number,
                country=country,
                what="TPE designation number",
            )
        )
    owner = reg.tpe_numbers.get(number)
    if owner and owner[0] != slug:
        reg.findings.append(_f(record, "ID-TPE-NUMBER-TAKEN", path, value=number, other=owner[0]))
        return
    reg.tpe_numbers[number] = (slug, country)


def _identity(reg: Registry) -> list[Finding]:
    """Each record states its own identity; it must agree with its file name and folder."""
    out: list[Finding] = []

    def check(record: Record, path: tuple, written: Any, expected: Any, what: str) -> None:
        if written != expected:
            out.append(_f(record, "ID-MISMATCH", path, what=what, value=written, expected=expected))

    for code, r in reg.countries.items():
        check(r, ("code",), r.model.code, code, "country code")
    for key, r in reg.decisions.items():
        folder, stem = key.split("/")
        check(r, ("country",), r.model.country, folder, "country")
        check(r, ("date",), r.model.date.isoformat(), stem[:10], "date")
    for key, r in reg.methodologies.items():
        check(r, ("id",), r.model.id, key, "methodology id")
        if r.model.country != key[:2]:
            out.append(
                _f(
                    r,
                    "ID-COUNTRY",
                    ("country",),
                    value=key,
                    country=r.model.country,
                    what="methodology id",
                )
            )
        if r.model.revises and key[3:5] != "PM":
            out.append(_f(r, "ID-REVISES-APPROVED", ("revises",), value=key))
    for key, r in reg.tpes.items():
        check(r, ("id",), r.model.id, key, "TPE slug")
    for key, r in reg.projects.items():
        check(r, ("id",), r.model.id, key, "project id")
        if r.model.country != key[:2]:
            out.append(
                _f(
                    r,
                    "ID-COUNTRY",
                    ("country",),
                    value=key,
                    country=r.model.country,
                    what="project id",
                )
            )
        if r.model.pin and r.model.pin[:2] != key[:2]:
            out.append(
                _f(r, "ID-COUNTRY", ("pin",), value=r.model.pin, country=key[:2], what="PIN id")
            )
    for key, r in reg.loaded.records["monitoring"].items():
        project, _, stem = key.split("/")
        check(r, ("project",), r.model.project, project, "project")
        period = f"{r.model.period.start.isoformat()}_{r.model.period.end.isoformat()}"
        check(r, ("period",), period, stem, "monitoring period")
    for key, r in reg.loaded.records["issuance"].items():
        project, _, stem = key.split("/")
        check(r, ("project",), r.model.project, project, "project")
        field_name = "notified_on" if r.model.notified_on else "reported_on"
        check(r, (field_name,), r.model.file_date.isoformat(), stem, "date")
    return out


def _references(reg: Registry) -> list[Finding]:
    """Every identifier a record uses names a record (or version, or item) that exists."""
    out: list[Finding] = []

    def missing(record: Record, path: tuple, value: str, what: str) -> None:
        out.append(_f(record, "REF-UNRESOLVED", path, value=value, what=what))

    def project_ref(record: Record, path: tuple, pid: str) -> None:
        if pid not in reg.projects:
            missing(record, path, pid, "project")

    def tpe_ref(record: Record, path: tuple, ref: str) -> None:
        if reg.tpe_slug(ref) is None:
            missing(record, path, ref, "TPE (slug or designation number)")

    rule_docs = reg.rule_documents()
    params = reg.rule_parameters()
    scopes = reg.scopes()

    def scopes_ref(record: Record, path: tuple, value: Any) -> None:
        if value is None or not scopes:
            return
        for fn in ("validation", "verification", "unstated"):
            for i, number in enumerate(getattr(value, fn) or []):
                if number not in scopes:
                    missing(record, (*path, fn, i), str(number), "sectoral scope")

    for r in reg.countries.values():
        for i, doc in enumerate(r.model.rule_documents):
            if rule_docs and doc.document not in rule_docs:
                missing(r, ("rule_documents", i, "document"), doc.document, "rule document")
            if doc.adopted_by:
                target = reg.items.get(doc.adopted_by)
                if target is None:
                    missing(r, ("rule_documents", i, "adopted_by"), doc.adopted_by, "decision item")
                elif target.item.type != "adopt_rule_document" or (
                    target.item.document,
                    target.item.version,
                ) != (doc.document, doc.version):
                    out.append(
                        _f(
                            r,
                            "REF-KIND",
                            ("rule_documents", i, "adopted_by"),
                            value=doc.adopted_by,
                            expected=f"the adoption of {doc.document} {doc.version}",
                        )
                    )

    for _ref, item_ref in sorted(reg.items.items()):
        item, r, i = item_ref.item, item_ref.decision, item_ref.index
        path = ("items", i)
        kind = item.type
        if kind == "adopt_rule_document":
            if rule_docs and item.document not in rule_docs:
                missing(r, (*path, "document"), item.document, "rule document")
            for name in item.parameters:
                if params and name not in params:
                    missing(r, (*path, "parameters", name), name, "rule parameter")
        elif kind in ("approve_methodology", "approve_methodology_with_revision"):
            version_ref = f"{item.methodology}@{item.version}"
            if item.methodology not in reg.methodologies:
                missing(r, (*path, "methodology"), item.methodology, "methodology")
            elif version_ref not in reg.versions:
                missing(r, (*path, "version"), version_ref, "methodology version")
            if item.methodology[:2] != item_ref.country:
                out.append(
                    _f(
                        r,
                        "ID-COUNTRY",
                        (*path, "methodology"),
                        value=item.methodology,
                        country=item_ref.country,
                        what="methodology id",
                    )
                )
        elif kind == "reject_methodology":
            if item.proposal not in reg.methodologies:
                missing(r, (*path, "proposal"), item.proposal, "proposed methodology")
        elif kind == "withdraw_methodology":
            if item.methodology not in reg.methodologies:
                missing(r, (*path, "methodology"), item.methodology, "methodology")
            elif item.version and f"{item.methodology}@{item.version}" not in reg.versions:
                missing(
                    r,
                    (*path, "version"),
                    f"{item.methodology}@{item.version}",
                    "methodology version",
                )
        elif kind in ("designate_tpe", "suspend_tpe", "withdraw_tpe_designation"):
            if item.tpe not in reg.tpes:
                missing(r, (*path, "tpe"), item.tpe, "TPE")
            scopes_ref(r, (*path, "scopes"), item.scopes)
        elif kind == "no_objection_pin":
            if item.pin[:2] != item_ref.country:
                out.append(
                    _f(
                        r,
                        "ID-COUNTRY",
                        (*path, "pin"),
                        value=item.pin,
                        country=item_ref.country,
                        what="PIN id",
                    )
                )
        elif kind == "other":
            pass
        else:  # every remaining item names a project
            project_ref(r, (*path, "project"), item.project)
            if item.project[:2] != item_ref.country:
                out.append(
                    _f(
                        r,
                        "ID-COUNTRY",
                        (*path, "project"),
                        value=item.project,
                        country=item_ref.country,
                        what="project id",
                    )
                )
            for j, other in enumerate(getattr(item, "joint_with", [])):
                project_ref(r, (*path, "joint_with", j), other)

    for r in reg.methodologies.values():
        m = r.model
        if m.revises and m.revises not in reg.methodologies:
            missing(r, ("revises",), m.revises, "approved methodology")

    for r in reg.tpes.values():
        for i, d in enumerate(r.model.designations):
            if d.country not in reg.countries:
                missing(r, ("designations", i, "country"), d.country, "country")
            scopes_ref(r, ("designations", i, "scopes"), d.scopes)

    mechanisms = reg.mechanisms()
    programmes = reg.programmes()
    for r in reg.projects.values():
        p = r.model
        if p.country not in reg.countries:
            missing(r, ("country",), p.country, "country")
        for i, applied in enumerate(p.methodologies):
            hit = reg.version(applied.methodology)
            if hit is None:
                missing(
                    r,
                    ("methodologies", i, "methodology"),
                    applied.methodology,
                    "methodology version",
                )
                continue
            criteria = {c.id for c in hit[1].eligibility}
            for j, met in enumerate(applied.eligibility):
                if criteria and met.criterion not in criteria:
                    missing(
                        r,
                        ("methodologies", i, "eligibility", j, "criterion"),
                        met.criterion,
                        f"eligibility criterion of {applied.methodology}",
                    )
        if p.validation:
            tpe_ref(r, ("validation", "tpe"), p.validation.tpe)
        if (
            p.contribution_from_japan
            and p.contribution_from_japan.programme
            and programmes
            and p.contribution_from_japan.programme not in programmes
        ):
            missing(
                r,
                ("contribution_from_japan", "programme"),
                p.contribution_from_japan.programme,
                "financing programme",
            )
        for i, other in enumerate(p.other_registrations):
            if mechanisms and other.mechanism not in mechanisms:
                missing(r, ("other_registrations", i, "mechanism"), other.mechanism, "mechanism")
        for i, rel in enumerate(p.related):
            project_ref(r, ("related", i, "project"), rel.project)

    for r in reg.loaded.records["monitoring"].values():
        m = r.model
        project = reg.projects.get(m.project)
        if m.methodology and reg.version(m.methodology) is None:
            missing(r, ("methodology",), m.methodology, "methodology version")
        if m.verification:
            tpe_ref(r, ("verification", "tpe"), m.verification.tpe)
        if project is not None:
            units = {u.id for u in project.model.units}
            for i, value in enumerate(m.values):
                for unit in sorted(value.per_unit or {}):
                    if unit not in units:
                        missing(
                            r, ("values", i, "per_unit", unit), unit, f"unit of project {m.project}"
                        )

    for r in reg.loaded.records["issuance"].values():
        m = r.model
        for j, other in enumerate(m.joint_with):
            project_ref(r, ("joint_with", j), other)
        if m.notification:
            target = reg.items.get(m.notification)
            if target is None:
                missing(r, ("notification",), m.notification, "decision item")
            elif target.item.type != "notify_issuance":
                out.append(
                    _f(
                        r,
                        "REF-KIND",
                        ("notification",),
                        value=m.notification,
                        expected="a notify_issuance item",
                    )
                )
            elif target.item.project != m.project or (
                m.notified_on and target.decision.model.date != m.notified_on
            ):
                out.append(
                    _f(
                        r,
                        "REF-KIND",
                        ("notification",),
                        value=m.notification,
                        expected=f"the notification of {m.project} dated {m.notified_on}",
                    )
                )
    return out
