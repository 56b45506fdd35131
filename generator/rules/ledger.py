"""Conservation of credits: verified ≥ notified ≥ issued, allocations add up, serials fit."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.load.records import Record
from generator.rules.registry import Context, Outcome, Passed, rule
from generator.status.fold import Act


def notification_of(ctx: Context, issuance: Record) -> Act | None:
    """The notify act an issuance follows: by its `notification` reference, else by project
    and date."""
    model = issuance.model
    acts = ctx.state.projects.get(model.project)
    if acts is None:
        return None
    for act in acts.notifications:
        if model.notification and act.ref == model.notification:
            return act
    if model.notification is None and model.notified_on is not None:
        for act in acts.notifications:
            if (
                act.item_ref.decision.model.date == model.notified_on
                and act.item.project == model.project
            ):
                return act
    return None


def reports_for(ctx: Context, act: Act) -> list[Record] | None:
    """The monitoring reports of every project an act covers, for its period (None: some
    project has no report for that period)."""
    item = act.item
    if item.period is None:
        return None
    out = []
    for pid in [item.project, *item.joint_with]:
        match = [
            r
            for r in ctx.registry.monitoring.get(pid, [])
            if (r.model.period.start, r.model.period.end) == (item.period.start, item.period.end)
        ]
        if not match:
            return None
        out.extend(match)
    return out


@rule("LEDGER-ALLOCATION-SUM", "LEDGER-NOTIFIED-EXCEEDS-VERIFIED", "TIME-NOTIFIED-BEFORE-VERIFIED")
def notifications(ctx: Context) -> Iterator[Outcome]:
    for act in ctx.state.acts:
        item = act.item
        if item.type != "notify_issuance":
            continue
        decision = act.item_ref.decision
        path = ("items", act.item_ref.index)
        lines = sum(a.quantity for a in item.allocation)
        if item.quantity is not None and item.allocation:
            if (item.allocation_complete and lines != item.quantity) or lines > item.quantity:
                yield ctx.finding(
                    "LEDGER-ALLOCATION-SUM",
                    decision,
                    (*path, "allocation"),
                    lines=lines,
                    quantity=item.quantity,
                    complete="" if item.allocation_complete else " (partial)",
                )
            else:
                yield Passed("LEDGER-ALLOCATION-SUM", decision.key)
        reports = reports_for(ctx, act)
        if reports is None:
            continue  # CLAIM-NOTIFICATION-UNVERIFIED reports the gap
        verified = [
            r.model.verification.verified_er if r.model.verification else None for r in reports
        ]
        quantity = item.quantity if item.quantity is not None else (lines or None)
        if quantity is not None and None not in verified:
            total = sum(verified)
            if quantity > total:
                yield ctx.finding(
                    "LEDGER-NOTIFIED-EXCEEDS-VERIFIED",
                    decision,
                    (*path, "quantity"),
                    quantity=quantity,
                    verified=total,
                    reports=", ".join(r.path for r in reports),
                )
            else:
                yield Passed("LEDGER-NOTIFIED-EXCEEDS-VERIFIED", decision.key)
        for report in reports:
            v = report.model.verification
            if v and v.report_date and act.effective < v.report_date:
                yield ctx.finding(
                    "TIME-NOTIFIED-BEFORE-VERIFIED",
                    decision,
                    path,
                    notified=act.effective,
                    verified=v.report_date,
                    report=report.path,
                )


def serial_blocks(issuance: Record) -> list[tuple[str, int, int, tuple]]:
    """The serial blocks an issuance record writes: (registry, first, last, field path).

    A block issued by Japan lies in the Japanese registry ("JP"), shared by every partner
    country's projects; a partner's block lies in that country's registry.
    """
    out = []
    country = issuance.key[:2]
    for side in ("japan", "partner"):
        part = getattr(issuance.model, side)
        if part is None:
            continue
        registry = "JP" if side == "japan" else country
        for i, line in enumerate(part.lines):
            if line.serial is not None:
                out.append(
                    (registry, line.serial.start, line.serial.end, (side, "lines", i, "serial"))
                )
    return out


@dataclass(frozen=True)
class _Block:
    registry: str
    start: int
    end: int
    key: str
    file: str
    record: Record | None
    """None for a block of a partition not loaded (see `Registry.outside`)."""
    path: tuple


@rule(
    "LEDGER-ISSUED-EXCEEDS-NOTIFIED",
    "LEDGER-SERIAL-LENGTH",
    "LEDGER-SERIAL-OVERLAP",
    "LEDGER-LINES-SUM",
    "TIME-ISSUED-BEFORE-NOTIFIED",
)
def issuances(ctx: Context) -> Iterator[Outcome]:
    blocks: list[_Block] = []
    for _pid, records in sorted(ctx.registry.issuances.items()):
        for record in records:
            model = record.model
            blocks += [
                _Block(registry, start, end, record.key, record.path, record, where)
                for registry, start, end, where in serial_blocks(record)
            ]
            act = notification_of(ctx, record)
            issued_total = 0
            for side in ("japan", "partner"):
                part = getattr(model, side)
                if part is None:
                    continue
                if (
                    part.lines
                    and part.quantity is not None
                    and sum(line.quantity for line in part.lines) != part.quantity
                ):
                    yield ctx.finding(
                        "LEDGER-LINES-SUM",
                        record,
                        (side, "quantity"),
                        side=side,
                        quantity=part.quantity,
                        lines=sum(line.quantity for line in part.lines),
                    )
                total = part.total or 0
                issued_total += total
                for i, line in enumerate(part.lines):
                    if line.serial is None:
                        continue
                    size = line.serial.end - line.serial.start + 1
                    where = (side, "lines", i, "serial")
                    if size != line.quantity:
                        yield ctx.finding(
                            "LEDGER-SERIAL-LENGTH",
                            record,
                            where,
                            start=line.serial.start,
                            end=line.serial.end,
                            size=size,
                            quantity=line.quantity,
                        )
                    else:
                        yield Passed("LEDGER-SERIAL-LENGTH", record.key)
                if act is None:
                    continue
                notified = [a.quantity for a in act.item.allocation if a.registry == side]
                complete = act.item.allocation_complete
                if notified and (complete or total > sum(notified)) and total > sum(notified):
                    yield ctx.finding(
                        "LEDGER-ISSUED-EXCEEDS-NOTIFIED",
                        record,
                        (side,),
                        issued=total,
                        side=side,
                        notified=sum(notified),
                        ref=act.ref,
                    )
                elif notified:
                    yield Passed("LEDGER-ISSUED-EXCEEDS-NOTIFIED", record.key)
                if part.issued_on and part.issued_on < act.effective:
                    yield ctx.finding(
                        "TIME-ISSUED-BEFORE-NOTIFIED",
                        record,
                        (side, "issued_on"),
                        issued=part.issued_on,
                        notified=act.effective,
                        ref=act.ref,
                    )
            total_issued = model.total if model.total is not None else issued_total
            if (
                act is not None
                and act.item.quantity is not None
                and total_issued > act.item.quantity
            ):
                yield ctx.finding(
                    "LEDGER-ISSUED-EXCEEDS-NOTIFIED",
                    record,
                    ("project",),
                    issued=total_issued,
                    side="both",
                    notified=act.item.quantity,
                    ref=act.ref,
                )
    blocks += [
        _Block(b.registry, b.start, b.end, b.key, b.path, None, ())
        for summary in ctx.registry.outside
        for b in summary.blocks
    ]
    blocks.sort(key=lambda b: (b.registry, b.start, b.end, b.key))
    for before, after in itertools.pairwise(blocks):
        if before.registry == after.registry and after.start <= before.end and after.record:
            yield ctx.finding(
                "LEDGER-SERIAL-OVERLAP",
                after.record,
                after.path,
                start=after.start,
                end=after.end,
                other=before.file,
                other_start=before.start,
                other_end=before.end,
                registry=after.registry,
            )


__all__ = ["Severity", "notification_of", "reports_for", "serial_blocks"]
