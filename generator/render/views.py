"""The derived view of each record: what the typed record says, and beside it what the
generator derived (status, history of decisions, recomputed figures, findings, coverage).

Pages and the JSON API are both rendered from these views, so they always agree. Nothing here
computes a figure; it gathers what the state fold and the compute stage produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.findings import Finding, Severity
from generator.load.history import Commit, History
from generator.load.records import Record
from generator.render import links
from generator.schema.base import display_version

if TYPE_CHECKING:
    from generator.report.validation import Validation

SEVERITY_ORDER = {"error": 0, "warning": 1, "incomplete": 2}
SHOWN_PLACES = 12
"""Decimal places a page shows of a figure that runs on, before "…" (see `Views.number`)."""
RUNS_ON = 20
"""More decimal places than this: a division that does not end (no source value has so many)."""


@dataclass(frozen=True)
class Step:
    """One step of a record's lifecycle, linked to the decision or report behind it."""

    day: date | None
    label: str
    target: str = ""
    """Page (docs path) the step links to; empty when none."""
    fragment: str = ""
    note: str = ""


@dataclass
class SiteConfig:
    repository: str = ""
    branch: str = "main"
    notice: str = ""
    site_name: str = "JCM Registry"

    def file_url(self, path: str, action: str = "edit") -> str:
        """Where the repository shows a file of it (`edit`, `raw`); empty without one."""
        repo = self.repository.rstrip("/")
        return f"{repo}/{action}/{self.branch}/{path}" if repo else ""


@dataclass
class Views:
    v: Validation
    history: History
    config: SiteConfig
    findings_by_path: dict[str, list[Finding]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for finding in self.v.findings:
            self.findings_by_path.setdefault(finding.path, []).append(finding)

    # -- shortcuts ---------------------------------------------------------------------------

    @property
    def registry(self):
        return self.v.registry

    @property
    def state(self):
        return self.v.state

    @property
    def computed(self):
        return self.v.computed

    def findings_of(self, *records: Record) -> list[Finding]:
        out = [f for r in records for f in self.findings_by_path.get(r.path, [])]
        return sorted(out, key=lambda f: (SEVERITY_ORDER[f.severity], f.path, f.line, f.code))

    # -- provenance --------------------------------------------------------------------------

    @staticmethod
    def unverified(record: Record, field_path: str) -> bool:
        """Whether a shown field (or a part of it) is listed as unverified in the record."""
        marks = record.model.unverified
        return any(
            m == field_path
            or m.startswith(field_path + ".")
            or m.startswith(field_path + "[")
            or field_path.startswith(m + ".")
            or field_path.startswith(m + "[")
            for m in marks
        )

    def history_of(self, record: Record) -> list[Commit]:
        return self.history.of(record.path)

    def edit_url(self, record: Record) -> str:
        return self.config.file_url(record.path)

    def report_url(self, record: Record) -> str:
        repo = self.config.repository.rstrip("/")
        if not repo:
            return ""
        from urllib.parse import quote

        title = quote(f"Incorrect data: {record.key}")
        return f"{repo}/issues/new?template=incorrect-data.yml&title={title}"

    def commit_url(self, commit: Commit) -> str:
        repo = self.config.repository.rstrip("/")
        return f"{repo}/commit/{commit.sha}" if repo else ""

    # -- decisions ---------------------------------------------------------------------------

    def decision_name(self, key: str) -> str:
        """A decision as a reader names it: "4th JC meeting, 2016-09-29", "electronic decision
        of 2018-03-12"; an unknown key as it is."""
        record = self.registry.decisions.get(key)
        if record is None:
            return key
        d = record.model
        if d.meeting is not None:
            n = d.meeting.ordinal
            return f"{ordinal(n)} JC meeting, {d.date}" if n else f"JC meeting of {d.date}"
        if d.form == "electronic":
            return f"electronic decision of {d.date}"
        return f"JC decision of {d.date}"

    def item_name(self, ref: str) -> str:
        """A decision item reference (`MN/2016-09-29-4th-jc#3`) as a reader names it."""
        key, _, item = ref.partition("#")
        name = self.decision_name(key)
        if name == key:
            return ref
        return f"{name}, item {item}" if item else name

    # -- statuses ----------------------------------------------------------------------------

    def project_status(self, pid: str) -> str:
        return self.state.projects[pid].status_on()

    def version_status(self, key: str) -> str:
        """A version's status as the public reads it.

        **Why** "approval not recorded" and not "not approved": a version under an approved
        methodology's id was approved by some JC decision; that the decision is missing from
        the data is a coverage gap, not a fact about the version. A proposal is "proposed".
        """
        history = self.state.versions.get(key)
        status = history.status_on() if history else "not approved"
        if status == "not approved":
            return "proposed" if key[3:5] == "PM" else "approval not recorded"
        return status

    def methodology_status(self, mid: str) -> str:
        record = self.registry.methodologies[mid]
        if mid[3:5] == "PM":
            rejected = [
                a
                for a in self.state.acts
                if a.item.type == "reject_methodology" and a.item.proposal == mid
            ]
            return "rejected" if rejected else "proposed"
        statuses = [
            self.version_status(f"{mid}@{v.version}") for v in record.model.versions if v.version
        ]
        if "approved" in statuses:
            return "approved"
        if statuses and all(s == "withdrawn" for s in statuses):
            return "withdrawn"
        if "superseded" in statuses:
            return "superseded"
        return "approval not recorded"

    # -- timelines ---------------------------------------------------------------------------

    def project_timeline(self, pid: str) -> list[Step]:
        record = self.registry.projects[pid]
        p = record.model
        history = self.state.projects[pid]
        steps: list[Step] = []

        def act(a: Any, label: str, note: str = "") -> None:
            page, frag = links.item(a.ref)
            steps.append(Step(a.effective, label, page, frag, note))

        if history.planned:
            act(
                history.planned, f"No objection to the Project Idea Note {history.planned.item.pin}"
            )
        if p.cycle and p.cycle.pdd_public_inputs:
            w = p.cycle.pdd_public_inputs
            steps.append(Step(w.start, f"PDD open for public inputs until {w.end}"))
        if p.validation and p.validation.report_date:
            tpe = p.validation.tpe
            steps.append(
                Step(
                    p.validation.report_date,
                    f"Validation report by {self.tpe_name(tpe)} "
                    f"({p.validation.opinion or 'opinion not recorded'})",
                    links.tpe(self.registry.tpe_slug(tpe) or tpe)
                    if self.registry.tpe_slug(tpe)
                    else "",
                )
            )
        if p.cycle and p.cycle.registration_requested_on:
            steps.append(Step(p.cycle.registration_requested_on, "Registration requested"))
        if history.registered:
            act(history.registered, "Registered by the Joint Committee")
        if history.registration_request_withdrawn:
            act(history.registration_request_withdrawn, "Registration request withdrawn")
        for a in history.changes:
            act(a, "Post-registration change approved", a.item.description)
        for a in history.renewals:
            cp = a.item.crediting_period
            act(a, f"Crediting period renewed ({cp.start} to {cp.end})")
        for report in self.registry.monitoring.get(pid, []):
            m = report.model
            steps.append(
                Step(
                    m.period.end,
                    f"Monitoring period {m.period.start} to {m.period.end}",
                    links.project(pid),
                    links.period_anchor(m.period.start, m.period.end),
                )
            )
            if m.verification and m.verification.report_date:
                steps.append(
                    Step(
                        m.verification.report_date,
                        f"Verification by {self.tpe_name(m.verification.tpe)}",
                        links.project(pid),
                        links.period_anchor(m.period.start, m.period.end),
                    )
                )
        for a in history.notifications:
            quantity = (
                f"{a.item.quantity:,} t" if a.item.quantity is not None else "quantity not public"
            )
            act(a, f"Issuance notified by the Joint Committee ({quantity})")
        for a in history.issuance_request_withdrawals:
            act(a, "Issuance request withdrawn")
        for issuance in self.registry.issuances.get(pid, []):
            m = issuance.model
            dated = any(
                getattr(m, side) and getattr(m, side).issued_on for side in ("japan", "partner")
            )
            if not dated and m.reported_on:
                amount = f"{m.total:,} t" if m.total is not None else "quantity not public"
                joint = f", jointly with {', '.join(m.joint_with)}" if m.joint_with else ""
                steps.append(
                    Step(
                        m.reported_on,
                        f"Credits issued, reported on this date ({amount}{joint})",
                        "issuances/index.md",
                    )
                )
            for side in ("japan", "partner"):
                part = getattr(m, side)
                if part and part.issued_on:
                    who = f"{self.side_name(side, pid[:2])}'s registry"
                    amount = (
                        f"{part.total:,} t" if part.total is not None else "quantity not public"
                    )
                    steps.append(
                        Step(part.issued_on, f"Issued in {who} ({amount})", "issuances/index.md")
                    )
        if history.withdrawn:
            act(history.withdrawn, "Project withdrawn")
        return sorted(steps, key=lambda s: (s.day or date.min, s.label))

    def tpe_name(self, ref: str) -> str:
        """A TPE reference (slug or designation number) → the organisation's legal name."""
        slug = self.registry.tpe_slug(ref)
        return self.registry.tpes[slug].model.legal_name if slug else ref

    def decision_title(self, record: Record) -> str:
        """A decision's published title, else what it decided."""
        return record.model.title or decision_summary(record.model)

    def side_name(self, side: str, country: str) -> str:
        """Whose side (`japan` or `partner`, of a country's JCM) as a reader names it."""
        return "Japan" if side == "japan" else self.country_name(country)

    def country_name(self, code: str) -> str:
        record = self.registry.countries.get(code)
        return record.model.names.en if record else code

    # -- figures -----------------------------------------------------------------------------

    shown_places = SHOWN_PLACES

    @staticmethod
    def number(value: Any, places: int | None = None) -> str:
        """A figure as a reader reads it: thousands separated, no trailing zeros, and a decimal
        that runs on (more than `RUNS_ON` places: a division that does not end, kept to 60
        digits) cut after `SHOWN_PLACES` places with "…"; the data files give every digit."""
        if value is None:
            return "—"
        if isinstance(value, Decimal):
            if places is not None:
                value = value.quantize(Decimal(1).scaleb(-places))
            whole, _, fraction = format(value, ",f").partition(".")
            fraction = fraction.rstrip("0")
            if len(fraction) > RUNS_ON:
                return f"{whole}.{fraction[:SHOWN_PLACES]}…"
            return f"{whole}.{fraction}" if fraction else whole
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    def page_of_path(self, path: str) -> str | None:
        """The page that shows the record in a data file (for links from findings)."""
        parts = path.split("/")
        if len(parts) < 3:
            return None
        if parts[1] == "projects":
            return links.project(parts[2])
        if parts[1] == "methodologies":
            return links.methodology(parts[2].removesuffix(".yaml"))
        if parts[1] == "countries":
            return links.country(parts[2].removesuffix(".yaml"))
        if parts[1] == "tpes":
            return links.tpe(parts[2].removesuffix(".yaml"))
        if parts[1] == "decisions" and len(parts) == 4:
            return links.decision(f"{parts[2]}/{parts[3].removesuffix('.yaml')}")
        return None


PUBLISHED_STATUSES = {
    "registered": "registered",
    "validation": "under validation",
    "registration-request-withdrawn": "registration request withdrawn",
    "withdrawn": "withdrawn",
    "planned": "planned",
}

ITEM_TITLES = {
    "adopt_rule_document": "Adoption of a rule document",
    "approve_methodology": "Approval of a methodology",
    "approve_methodology_with_revision": "Approval of a methodology with revision",
    "reject_methodology": "Rejection of a proposed methodology",
    "withdraw_methodology": "Withdrawal of a methodology",
    "designate_tpe": "Designation of a third-party entity",
    "suspend_tpe": "Suspension of a third-party entity",
    "withdraw_tpe_designation": "Withdrawal of a TPE designation",
    "no_objection_pin": "No objection to a planned project",
    "register_project": "Registration of a project",
    "notify_issuance": "Notification of issuance",
    "approve_post_registration_change": "Approval of a post-registration change",
    "renew_crediting_period": "Renewal of a crediting period",
    "withdraw_registration_request": "Withdrawal of a registration request",
    "withdraw_issuance_request": "Withdrawal of an issuance request",
    "withdraw_project": "Withdrawal of a project",
    "other": "Other decision",
}


def decision_summary(decision: Any) -> str:
    """A decision without a published title, named by what it decided."""
    kinds = sorted({ITEM_TITLES[i.type] for i in decision.items})
    head = "Electronic decision" if decision.form == "electronic" else "Decision"
    return f"{head}: " + "; ".join(k[0].lower() + k[1:] for k in kinds)


def ordinal(n: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th, 23 → 23rd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_PATH_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
WORDS_AS_WRITTEN = {
    # words shown as written, not in lower case: in field paths and in model names
    "tpe": "TPE",
    "pdd": "PDD",
    "jc": "JC",
    "pin": "PIN",
    "eia": "EIA",
    "japan": "Japan",
    "co2": "CO2",
    "url": "URL",
}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def field_words(path: str, capital: bool = False) -> str:
    """A field path as words: `instrument.signed_on` → "instrument, signed on",
    `location.sites[0].latitude` → "location, site 1, latitude" (list items counted from 1);
    `capital`: the first letter a capital, to open a sentence."""
    parts = []
    for name in path.split("."):
        if name.isdigit() and parts:  # `items.0`, as `items[0]`
            parts[-1] = f"{_singular(parts[-1])} {int(name) + 1}"
            continue
        match = _PATH_PART.fullmatch(name)
        if match is None:
            parts.append(name)
            continue
        indexes = [int(i) + 1 for i in re.findall(r"\d+", match.group(2))]
        words = [WORDS_AS_WRITTEN.get(w, w) for w in match.group(1).split("_") if w]
        if indexes and words:
            words[-1] = _singular(words[-1])
        parts.append(" ".join([*words, *map(str, indexes)]))
    words = ", ".join(parts)
    return words[:1].upper() + words[1:] if capital else words


def version_label(version: str | None) -> str:
    return display_version(version) if version else "(proposal)"


def severity_label(severity: Severity) -> str:
    return {"error": "Error", "warning": "Warning", "incomplete": "Incomplete"}[str(severity)]
