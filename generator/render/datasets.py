"""The registry as tables: one definition per table, written as JSON (for the index pages and
the API), CSV and XLSX (downloads), and described in the Frictionless data package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from generator.compute.totals import project_scope
from generator.render import links
from generator.render.page import url_of
from generator.render.views import ITEM_TITLES, Views, version_label
from generator.schema.base import shown_version


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, number, date, boolean
    description: str


@dataclass
class Dataset:
    name: str
    title: str
    description: str
    fields: list[Field]
    rows: list[dict[str, Any]]

    @property
    def key(self) -> str:
        return self.fields[0].name


def page_url(page: str) -> str:
    """Docs path → the site-relative URL a directory-URL build serves it at."""
    return url_of(page)


def _s(values: list[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def projects(views: Views) -> Dataset:
    reg, state = views.registry, views.state
    rows = []
    for pid, record in sorted(reg.projects.items()):
        p = record.model
        history = state.projects[pid]
        issued = [i.model for i in reg.issuances.get(pid, [])]
        credits = (
            sum(
                (m.japan.total or 0 if m.japan else 0) + (m.partner.total or 0 if m.partner else 0)
                or (m.total or 0)
                for m in issued
            )
            if issued
            else None
        )
        scope = project_scope(reg, pid)
        tpe = p.validation.tpe if p.validation else None
        rows.append(
            {
                "id": pid,
                "title": p.title,
                "country": p.country,
                "country_name": views.country_name(p.country),
                "status": history.status_on(),
                "status_published": p.status_as_published,
                "methodologies": _s([a.methodology for a in p.methodologies]),
                "methodology_labels": _s([shown_version(a.methodology) for a in p.methodologies]),
                "sectoral_scope": scope,
                "tpe": reg.tpe_slug(tpe) if tpe else None,
                "tpe_name": views.tpe_name(tpe) if tpe else None,
                "registered_on": history.registered.effective if history.registered else None,
                "registered_year": history.registered.effective.year
                if history.registered
                else None,
                "participants": _s(
                    [x.name for x in (p.participants.partner + p.participants.japan)]
                    if p.participants
                    else []
                ),
                "credits_issued": credits,
                "href": page_url(links.project(pid)),
            }
        )
    return Dataset(
        "projects",
        "Projects",
        "Every project with its status derived from Joint Committee decisions.",
        [
            Field("id", "string", "Project id ({CC}{NNN}) or Project Idea Note id"),
            Field("title", "string", "Title (PDD A.1)"),
            Field("country", "string", "Partner country code"),
            Field("country_name", "string", "Partner country"),
            Field("status", "string", "Status derived from JC decisions"),
            Field("status_published", "string", "Status on the official list"),
            Field("methodologies", "string", "Methodology versions applied (<ID>@<version>)"),
            Field("methodology_labels", "string", "Methodology versions applied, as shown"),
            Field("sectoral_scope", "integer", "Sectoral scope of the methodology"),
            Field("tpe", "string", "Validating TPE (slug)"),
            Field("tpe_name", "string", "Validating TPE (legal name)"),
            Field("registered_on", "date", "Date the registration took effect"),
            Field("registered_year", "integer", "Year of registration"),
            Field("participants", "string", "Project participants"),
            Field("credits_issued", "integer", "Credits issued, both registries"),
            Field("href", "string", "Page of the project on this site"),
        ],
        rows,
    )


def methodologies(views: Views) -> Dataset:
    reg, computed = views.registry, views.computed
    applying: dict[str, int] = {}
    for record in reg.projects.values():
        for a in record.model.methodologies:
            mid = a.methodology.split("@")[0]
            applying[mid] = applying.get(mid, 0) + 1
    rows = []
    for mid, record in sorted(reg.methodologies.items()):
        m = record.model
        versions = [v.version for v in m.versions if v.version]
        latest = versions[-1] if versions else None
        compiled = computed.versions.get(f"{mid}@{latest}") if latest else None
        rows.append(
            {
                "id": mid,
                "country": m.country,
                "country_name": views.country_name(m.country),
                "title": m.title,
                "sectoral_scope": m.sectoral_scope,
                "status": views.methodology_status(mid),
                "latest_version": latest,
                "latest_version_label": version_label(latest) if latest else None,
                "versions": _s(versions),
                "recomputable": bool(compiled and compiled.recomputable),
                "projects": applying.get(mid, 0),
                "href": page_url(links.methodology(mid)),
            }
        )
    return Dataset(
        "methodologies",
        "Methodologies",
        "Approved and proposed methodologies.",
        [
            Field("id", "string", "Methodology id"),
            Field("country", "string", "Country of the approving JC (code)"),
            Field("country_name", "string", "Country of the approving JC"),
            Field("title", "string", "Title"),
            Field("sectoral_scope", "integer", "Sectoral scope"),
            Field("status", "string", "Status derived from JC decisions"),
            Field("latest_version", "string", "Latest version"),
            Field("latest_version_label", "string", "Latest version, as shown (Ver3.0)"),
            Field("versions", "string", "All versions"),
            Field("recomputable", "boolean", "Figures recomputed with the latest version"),
            Field("projects", "integer", "Projects applying it"),
            Field("href", "string", "Page on this site"),
        ],
        rows,
    )


def countries(views: Views) -> Dataset:
    totals = views.v.totals
    decisions: dict[str, int] = {}
    for record in views.registry.decisions.values():
        decisions[record.model.country] = decisions.get(record.model.country, 0) + 1
    rows = []
    for code, record in sorted(views.registry.countries.items()):
        c = record.model
        issued = totals.issued_by_country.get(code)
        rows.append(
            {
                "code": code,
                "name": c.names.en,
                "signed_on": c.instrument.signed_on if c.instrument else None,
                "registered_projects": totals.registered_by_country.get(code, 0),
                "decisions": decisions.get(code, 0),
                "issued_japan": issued.japan if issued else 0,
                "issued_partner": issued.partner if issued else 0,
                "href": page_url(links.country(code)),
            }
        )
    return Dataset(
        "countries",
        "Partner countries",
        "The JCM's partner countries.",
        [
            Field("code", "string", "ISO 3166-1 alpha-2 code"),
            Field("name", "string", "Name"),
            Field("signed_on", "date", "Signature of the bilateral instrument"),
            Field("registered_projects", "integer", "Registered projects"),
            Field("decisions", "integer", "Joint Committee decisions recorded"),
            Field("issued_japan", "integer", "Credits issued in Japan's registry"),
            Field("issued_partner", "integer", "Credits issued in the partner's registry"),
            Field("href", "string", "Page on this site"),
        ],
        rows,
    )


def decisions(views: Views) -> Dataset:
    rows = []
    for key, record in sorted(views.registry.decisions.items()):
        d = record.model
        rows.append(
            {
                "key": key,
                "country": d.country,
                "country_name": views.country_name(d.country),
                "date": d.date,
                "effective": views.state.effective.get(key),
                "year": d.date.year,
                "form": d.form,
                "title": d.title or "",
                "label": views.decision_title(record),
                "items": len(d.items),
                "item_types": _s(sorted({ITEM_TITLES[i.type] for i in d.items})),
                "href": page_url(links.decision(key)),
            }
        )
    return Dataset(
        "decisions",
        "Joint Committee decisions",
        "Every recorded JC decision.",
        [
            Field("key", "string", "<CC>/<file stem>"),
            Field("country", "string", "Country code"),
            Field("country_name", "string", "Country"),
            Field("date", "date", "Date the decision carries"),
            Field("effective", "date", "Date it took effect (blank: not adopted)"),
            Field("year", "integer", "Year"),
            Field("form", "string", "meeting, electronic or unknown"),
            Field("label", "string", "Title as published, else what the decision decided"),
            Field("title", "string", "Title as published"),
            Field("items", "integer", "Number of items"),
            Field("item_types", "string", "Kinds of items"),
            Field("href", "string", "Page on this site"),
        ],
        rows,
    )


def _subject(item: Any) -> str:
    for attr in ("project", "methodology", "proposal", "tpe", "pin", "document"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    return ""


def decision_items(views: Views) -> Dataset:
    rows = []
    for ref, item_ref in sorted(views.registry.items.items()):
        item = item_ref.item
        rows.append(
            {
                "ref": ref,
                "country": item_ref.country,
                "date": item_ref.decision.model.date,
                "type": item.type,
                "subject": _subject(item),
                "version": getattr(item, "version", None),
                "quantity": getattr(item, "quantity", None),
                "text": getattr(item, "text", None) or getattr(item, "description", None),
            }
        )
    return Dataset(
        "decision-items",
        "Decision items",
        "Each act of each JC decision.",
        [
            Field("ref", "string", "<CC>/<decision>#<item>"),
            Field("country", "string", "Country code"),
            Field("date", "date", "Date of the decision"),
            Field("type", "string", "Kind of act"),
            Field("subject", "string", "Project, methodology, TPE, PIN or document concerned"),
            Field("version", "string", "Version concerned"),
            Field("quantity", "integer", "Credits notified (notifications)"),
            Field("text", "string", "Text of the item, where it has one"),
        ],
        rows,
    )


def tpes(views: Views) -> Dataset:
    rows = []
    for slug, record in sorted(views.registry.tpes.items()):
        t = record.model
        countries_ = sorted({s.country for s in views.state.spans if s.tpe == slug})
        rows.append(
            {
                "id": slug,
                "name": t.legal_name,
                "acronym": t.acronym,
                "countries": _s(countries_),
                "country_names": _s([views.country_name(c) for c in countries_]),
                "designations": len([s for s in views.state.spans if s.tpe == slug]),
                "href": page_url(links.tpe(slug)),
            }
        )
    return Dataset(
        "tpes",
        "Third-party entities",
        "TPEs and where they are designated.",
        [
            Field("id", "string", "Our slug for the organisation"),
            Field("name", "string", "Legal name"),
            Field("acronym", "string", "Acronym"),
            Field("countries", "string", "Countries that designated it (codes)"),
            Field("country_names", "string", "Countries that designated it"),
            Field("designations", "integer", "Designation spans (function × scope)"),
            Field("href", "string", "Page on this site"),
        ],
        rows,
    )


def issuance_lines(views: Views) -> Dataset:
    rows = []
    for pid, records in sorted(views.registry.issuances.items()):
        for record in records:
            m = record.model
            base = {
                "project": pid,
                "country": pid[:2],
                "joint_with": _s(m.joint_with),
                "notified_on": m.notified_on,
                "reported_on": m.reported_on,
                "notification": m.notification,
                "period_start": m.period.start if m.period else None,
                "period_end": m.period.end if m.period else None,
                "href": page_url(links.project(pid)),
            }
            emitted = False
            for side in ("japan", "partner"):
                part = getattr(m, side)
                if part is None:
                    continue
                registry = "JP" if side == "japan" else pid[:2]
                lines = part.lines or [None]
                for line in lines:
                    emitted = True
                    rows.append(
                        {
                            **base,
                            "registry": registry,
                            "registry_name": views.side_name(side, pid[:2]),
                            "account_holder": line.account_holder if line else None,
                            "quantity": line.quantity if line else part.quantity,
                            "serial_start": line.serial.start if line and line.serial else None,
                            "serial_end": line.serial.end if line and line.serial else None,
                            "issued_on": part.issued_on,
                        }
                    )
            if not emitted:
                rows.append(
                    {
                        **base,
                        "registry": None,
                        "registry_name": None,
                        "account_holder": None,
                        "quantity": m.total,
                        "serial_start": None,
                        "serial_end": None,
                        "issued_on": None,
                    }
                )
    return Dataset(
        "issuances",
        "Issuance lines",
        "Credits issued per registry and account holder, with serial blocks where recorded.",
        [
            Field("project", "string", "Project id"),
            Field("country", "string", "Partner country"),
            Field("registry", "string", "JP, or the partner's code (blank: not split)"),
            Field("registry_name", "string", "Whose registry: Japan or the partner country"),
            Field("account_holder", "string", "Holder of the account credited"),
            Field("quantity", "integer", "Credits (tCO2e)"),
            Field("serial_start", "integer", "First serial number"),
            Field("serial_end", "integer", "Last serial number"),
            Field("issued_on", "date", "Date issued in that registry"),
            Field("joint_with", "string", "Other projects covered by the figures"),
            Field("notified_on", "date", "Date of the JC notification"),
            Field("reported_on", "date", "Date first reported (notification not public)"),
            Field("notification", "string", "The notifying decision item"),
            Field("period_start", "date", "Monitoring period start"),
            Field("period_end", "date", "Monitoring period end"),
            Field("href", "string", "Page of the project"),
        ],
        rows,
    )


def periods(views: Views) -> Dataset:
    rows = []
    for pid, figures in sorted(views.computed.projects.items()):
        for c in figures.periods:
            r = c.recomputed
            rows.append(
                {
                    "project": pid,
                    "period_start": c.period.start,
                    "period_end": c.period.end,
                    "methodology": c.methodology,
                    "estimated": c.estimated.quantize(Decimal(1))
                    if c.estimated is not None
                    else None,
                    "recomputed_re": r.values.get("RE_p") if r else None,
                    "recomputed_pe": r.values.get("PE_p") if r else None,
                    "recomputed_er": r.result("ER_p") if r else None,
                    "claimed_er": c.claimed.emission_reductions if c.claimed else None,
                    "verified": c.verified,
                    "notified": c.notified,
                    "issued_japan": c.issued_japan,
                    "issued_partner": c.issued_partner,
                    "not_recomputed": c.not_recomputed or None,
                }
            )
    return Dataset(
        "periods",
        "Figures per monitoring period",
        "The chain estimated → recomputed → claimed → verified → notified → issued.",
        [
            Field("project", "string", "Project id"),
            Field("period_start", "date", "First day"),
            Field("period_end", "date", "Last day"),
            Field("methodology", "string", "Methodology version applied"),
            Field("estimated", "number", "PDD estimate pro rata (tCO2e)"),
            Field("recomputed_re", "number", "Recomputed reference emissions (tCO2)"),
            Field("recomputed_pe", "number", "Recomputed project emissions (tCO2)"),
            Field("recomputed_er", "number", "Recomputed emission reductions, rounded down"),
            Field("claimed_er", "integer", "Claimed in the monitoring report"),
            Field("verified", "integer", "Verified by the TPE"),
            Field("notified", "integer", "Notified by the JC"),
            Field("issued_japan", "integer", "Issued in Japan's registry"),
            Field("issued_partner", "integer", "Issued in the partner's registry"),
            Field("not_recomputed", "string", "Why the period is not recomputed"),
        ],
        rows,
    )


def findings(views: Views) -> Dataset:
    rows = [
        {
            "path": f.path,
            "line": f.line,
            "column": f.col,
            "code": f.code,
            "severity": str(f.severity),
            "message": f.message,
            "remedy": f.remedy,
        }
        for f in views.v.findings
    ]
    return Dataset(
        "findings",
        "Findings",
        "Every finding of the rules on the records.",
        [
            Field("path", "string", "Data file"),
            Field("line", "integer", "Line (row, in a workbook)"),
            Field("column", "integer", "Column"),
            Field("code", "string", "Finding code"),
            Field("severity", "string", "error, warning or incomplete"),
            Field("message", "string", "What is wrong"),
            Field("remedy", "string", "How to fix it"),
        ],
        rows,
    )


def windows(views: Views) -> Dataset:
    rows = []
    for mid, record in sorted(views.registry.methodologies.items()):
        for v in record.model.versions:
            if v.public_inputs:
                rows.append(
                    {
                        "kind": "methodology",
                        "subject": f"{mid} {version_label(v.version)}",
                        "start": v.public_inputs.start,
                        "end": v.public_inputs.end,
                        "days": v.public_inputs.days,
                        "href": page_url(links.methodology(mid)),
                    }
                )
    for pid, record in sorted(views.registry.projects.items()):
        cycle = record.model.cycle
        if cycle and cycle.pdd_public_inputs:
            w = cycle.pdd_public_inputs
            rows.append(
                {
                    "kind": "PDD",
                    "subject": pid,
                    "start": w.start,
                    "end": w.end,
                    "days": w.days,
                    "href": page_url(links.project(pid)),
                }
            )
    rows.sort(key=lambda r: (r["start"], r["subject"]), reverse=True)
    return Dataset(
        "public-inputs",
        "Public-input windows",
        "Windows for public inputs (both days included).",
        [
            Field("kind", "string", "methodology or PDD"),
            Field("subject", "string", "Methodology version or project"),
            Field("start", "date", "First day"),
            Field("end", "date", "Last day"),
            Field("days", "integer", "Length in days"),
            Field("href", "string", "Page on this site"),
        ],
        rows,
    )


TABLES: dict[str, Callable[[Views], Dataset]] = {
    "projects": projects,
    "methodologies": methodologies,
    "countries": countries,
    "decisions": decisions,
    "decision-items": decision_items,
    "tpes": tpes,
    "issuances": issuance_lines,
    "periods": periods,
    "findings": findings,
    "public-inputs": windows,
}
"""Every table by name, in the order the downloads list them."""


def all_datasets(views: Views) -> list[Dataset]:
    return [make(views) for make in TABLES.values()]


class Tables:
    """The registry's tables, each made when a part of the site asks for it and kept by none.

    **Why:** the tables hold a row per record; kept for the whole build, they would sit in
    memory beside the registry while every page is written (a tenth of the build's memory at
    10,000 projects)."""

    def __init__(self, views: Views) -> None:
        self.views = views
        self._last: Dataset | None = None
        """The table asked for last: a part asks for its table twice (for its inputs, then
        to make its files), and only one is kept."""

    def __getitem__(self, name: str) -> Dataset:
        if self._last is None or self._last.name != name:
            self._last = TABLES[name](self.views)
        return self._last

    def all(self) -> list[Dataset]:
        return all_datasets(self.views)


def jsonable(value: Any) -> Any:
    """Dates as ISO text, exact decimals as text (JSON numbers would go through binary floats)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
