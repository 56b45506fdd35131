"""What a change does to the registry: run the pipeline on two revisions and compare the results.

`jcm diff BASE HEAD` reads both revisions straight from git (no checkout) and writes a Markdown
summary fit for a pull-request comment: records added, changed (field: old → new) and removed;
status changes with the decision behind each; credits notified and issued; recomputed figures
that moved; findings introduced and fixed. The same dependency graph tells
`jcm validate --changed-since` which records a change touches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.findings import Finding, Severity
from generator.load.records import Record
from generator.load.tree import GitTree
from generator.pipeline import validate_tree
from generator.report.validation import Validation

MAX_FIELDS = 25
MAX_ROWS = 200

# ---------------------------------------------------------------------------------------------
# The semantic diff


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and isinstance(value[0], dict | list):
        out = {}
        for i, inner in enumerate(value):
            out.update(_flatten(inner, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def _dump(record: Record) -> dict[str, Any]:
    return _flatten(record.model.model_dump(mode="json", exclude_defaults=True))


@dataclass
class RecordChange:
    kind: str
    key: str
    change: str  # added, removed, changed, renamed
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    other: str = ""


@dataclass
class Diff:
    base: str
    head: str
    records: list[RecordChange] = field(default_factory=list)
    statuses: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(subject, old status, new status, decision behind)."""
    notifications: list[tuple[str, str, Any]] = field(default_factory=list)
    issuances: list[tuple[str, str, str]] = field(default_factory=list)
    figures: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    introduced: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.records
            or self.statuses
            or self.notifications
            or self.issuances
            or self.figures
            or self.introduced
            or self.fixed
        )


IDENTITY = {
    "id",
    "code",
    "country",
    "date",
    "project",
    "period.start",
    "period.end",
    "notified_on",
    "reported_on",
}


def compare(base: Validation, head: Validation, base_label: str, head_label: str) -> Diff:
    diff = Diff(base_label, head_label)
    old = {(r.kind, r.key): r for r in base.loaded.all_records()}
    new = {(r.kind, r.key): r for r in head.loaded.all_records()}
    removed = {k: old[k] for k in sorted(set(old) - set(new))}
    added = {k: new[k] for k in sorted(set(new) - set(old))}
    renamed: set[tuple] = set()
    for (kind, key), record in added.items():
        content = {k: v for k, v in _dump(record).items() if k not in IDENTITY}
        for (okind, okey), orecord in removed.items():
            if (
                okind == kind
                and (okind, okey) not in renamed
                and content
                and content == {k: v for k, v in _dump(orecord).items() if k not in IDENTITY}
            ):
                diff.records.append(RecordChange(kind, key, "renamed", other=okey))
                renamed.add((okind, okey))
                renamed.add((kind, key))
                break
    for kind, key in added:
        if (kind, key) not in renamed:
            diff.records.append(RecordChange(kind, key, "added"))
    for kind, key in removed:
        if (kind, key) not in renamed:
            diff.records.append(RecordChange(kind, key, "removed"))
    for k in sorted(set(old) & set(new)):
        a, b = _dump(old[k]), _dump(new[k])
        if a != b:
            fields = [
                (p, a.get(p), b.get(p)) for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)
            ]
            diff.records.append(RecordChange(k[0], k[1], "changed", fields))
    _statuses(diff, base, head)
    _credits(diff, base, head)
    _figures(diff, base, head)
    _findings(diff, base, head)
    return diff


def _decision_words(act: Any) -> str:
    decision = act.item_ref.decision.model
    form = {
        "meeting": "JC meeting",
        "electronic": "JC electronic decision",
        "unknown": "JC decision",
    }[decision.form]
    return f"{form} {act.effective} ({act.ref})"


def _statuses(diff: Diff, base: Validation, head: Validation) -> None:
    for pid in sorted(set(base.state.projects) | set(head.state.projects)):
        old = base.state.projects.get(pid)
        new = head.state.projects.get(pid)
        before = old.status_on() if old else "not in the registry"
        after = new.status_on() if new else "not in the registry"
        if before != after:
            behind = ""
            if new is not None:
                act = {
                    "registered": new.registered,
                    "withdrawn": new.withdrawn,
                    "planned": new.planned,
                    "registration request withdrawn": new.registration_request_withdrawn,
                }.get(after)
                behind = _decision_words(act) if act else ""
            diff.statuses.append((pid, before, after, behind))
    for key in sorted(set(base.state.versions) | set(head.state.versions)):
        old = base.state.versions.get(key)
        new = head.state.versions.get(key)
        before = old.status_on() if old else "not in the registry"
        after = new.status_on() if new else "not in the registry"
        if before != after:
            act = None
            if new is not None:
                act = {
                    "approved": new.approved,
                    "superseded": new.superseded,
                    "withdrawn": new.withdrawn,
                }.get(after)
            diff.statuses.append((key, before, after, _decision_words(act) if act else ""))


def _credits(diff: Diff, base: Validation, head: Validation) -> None:
    before = {a.ref for a in base.state.acts if a.item.type == "notify_issuance"}
    for act in head.state.acts:
        if act.item.type == "notify_issuance" and act.ref not in before:
            diff.notifications.append((act.item.project, act.ref, act.item.quantity))
    old = {r.key: r for r in base.loaded.records["issuance"].values()}
    for key, record in sorted(head.loaded.records["issuance"].items()):
        m = record.model
        parts = []
        for side, label in (("japan", "Japan"), ("partner", key[:2])):
            part = getattr(m, side)
            if part is not None and part.total is not None:
                parts.append(f"{label} {part.total:,}")
        if m.total is not None and not parts:
            parts.append(f"{m.total:,} in all")
        words = ", ".join(parts) or "quantities not public"
        if key not in old:
            diff.issuances.append((m.project, "added", words))
        elif _dump(old[key]) != _dump(record):
            diff.issuances.append((m.project, "changed", words))


def _figures(diff: Diff, base: Validation, head: Validation) -> None:
    def figures(v: Validation) -> dict[tuple[str, str], Any]:
        out = {}
        for pid, f in v.computed.projects.items():
            for c in f.periods:
                value = c.recomputed.result("ER_p") if c.recomputed else None
                out[(pid, f"{c.period.start} to {c.period.end}")] = value
        return out

    a, b = figures(base), figures(head)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            diff.figures.append((key[0], key[1], a.get(key), b.get(key)))


def _fingerprint(finding: Finding) -> tuple:
    return (finding.path, finding.code, finding.message)


def _findings(diff: Diff, base: Validation, head: Validation) -> None:
    old = {_fingerprint(f): f for f in base.findings}
    new = {_fingerprint(f): f for f in head.findings}
    diff.introduced = [new[k] for k in sorted(set(new) - set(old))]
    diff.fixed = [old[k] for k in sorted(set(old) - set(new))]


# ---------------------------------------------------------------------------------------------
# Markdown


def _cell(value: Any) -> str:
    from generator.render.markdown import text

    if value is None:
        return "—"
    shown = str(value)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return text(shown)


def to_markdown(diff: Diff) -> str:
    lines = [f"## Registry changes: `{diff.base}` → `{diff.head}`", ""]
    if diff.empty:
        return "\n".join(
            [*lines, "No change to the registry's records, statuses, figures or findings.", ""]
        )
    errors = sum(f.severity is Severity.ERROR for f in diff.introduced)
    lines.append(
        f"{len(diff.records)} record(s) added, changed or removed; "
        f"{len(diff.statuses)} status change(s); {len(diff.introduced)} finding(s) "
        f"introduced ({errors} error(s)), {len(diff.fixed)} fixed."
    )
    lines.append("")
    if diff.records:
        lines += ["### Records", "", "| Record | Change | Details |", "|---|---|---|"]
        for change in diff.records[:MAX_ROWS]:
            details = ""
            if change.change == "renamed":
                details = f"was `{change.other}`"
            elif change.fields:
                shown = [
                    f"`{p}`: {_cell(a)} → {_cell(b)}" for p, a, b in change.fields[:MAX_FIELDS]
                ]
                more = len(change.fields) - MAX_FIELDS
                details = "<br>".join(shown) + (f"<br>… and {more} more" if more > 0 else "")
            lines.append(f"| {change.kind} `{change.key}` | {change.change} | {details} |")
        lines.append("")
    if diff.statuses:
        lines += [
            "### Status changes",
            "",
            "| Subject | Before | After | Decision |",
            "|---|---|---|---|",
        ]
        for subject, before, after, behind in diff.statuses[:MAX_ROWS]:
            lines.append(
                f"| `{subject}` | {before} | **{after}** | {_cell(behind) if behind else '—'} |"
            )
        lines.append("")
    if diff.notifications or diff.issuances:
        lines += ["### Credits", ""]
        for project, ref, quantity in diff.notifications:
            amount = f"{quantity:,} tCO2e" if quantity is not None else "quantity not public"
            lines.append(f"- {project}: issuance notified, {amount} (`{ref}`)")
        for project, change, words in diff.issuances:
            lines.append(f"- {project}: issuance {change} — {words}")
        lines.append("")
    if diff.figures:
        lines += [
            "### Recomputed figures that moved",
            "",
            "| Project | Period | ER before | ER after |",
            "|---|---|---:|---:|",
        ]
        for project, period, before, after in diff.figures[:MAX_ROWS]:
            lines.append(f"| {project} | {period} | {_cell(before)} | {_cell(after)} |")
        lines.append("")
    for title, items in (("Findings introduced", diff.introduced), ("Findings fixed", diff.fixed)):
        if not items:
            continue
        lines += [f"### {title}", ""]
        shown = [f for f in items if f.severity is not Severity.INCOMPLETE]
        gaps = len(items) - len(shown)
        for f in shown[:MAX_ROWS]:
            lines.append(f"- `{f.path}:{f.line}` **{f.printed_code}** {_cell(f.message)}")
        if gaps:
            lines.append(f"- {gaps} coverage gap(s) (incomplete)")
        lines.append("")
    return "\n".join(lines)


def diff_revisions(root: Path, base: str, head: str) -> Diff:
    old = validate_tree(GitTree(root, base))
    new = validate_tree(GitTree(root, head))
    return compare(old, new, base, head)


def paths_of(findings: Iterable[Finding], paths: set[str]) -> list[Finding]:
    return [f for f in findings if f.path in paths]
