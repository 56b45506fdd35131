"""Timelines: windows of the right length, the project cycle in order, monitoring periods."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from generator.rules.registry import Context, Outcome, Passed, rule


@rule("TIME-WINDOW-LENGTH")
def window_lengths(ctx: Context) -> Iterator[Outcome]:
    """Public-input windows last exactly the days the rules in force set (both ends included)."""
    for key, record in sorted(ctx.registry.methodologies.items()):
        for i, version in enumerate(record.model.versions):
            window = version.public_inputs
            if window is None:
                continue
            limit = ctx.state.parameter(
                record.model.country, "methodology-public-inputs-days", window.start
            )
            yield from _window(
                ctx,
                record,
                ("versions", i, "public_inputs"),
                window,
                limit,
                "public inputs on the proposed methodology",
                key,
            )
    for key, record in sorted(ctx.registry.projects.items()):
        cycle = record.model.cycle
        if cycle is None or cycle.pdd_public_inputs is None:
            continue
        window = cycle.pdd_public_inputs
        limit = ctx.state.parameter(record.model.country, "pdd-public-inputs-days", window.start)
        yield from _window(
            ctx,
            record,
            ("cycle", "pdd_public_inputs"),
            window,
            limit,
            "public inputs on the PDD",
            key,
        )


def _window(ctx, record, path, window, limit, what, key) -> Iterator[Outcome]:
    if limit is None:
        return
    if window.days != limit.value:
        yield ctx.finding(
            "TIME-WINDOW-LENGTH",
            record,
            path,
            severity=ctx.severity_of(limit),
            what=what,
            days=window.days,
            start=window.start,
            end=window.end,
            limit=limit.value,
            basis=ctx.basis_words(limit),
        )
    else:
        yield Passed("TIME-WINDOW-LENGTH", key)


@rule("TIME-CONSIDERATION")
def consideration(ctx: Context) -> Iterator[Outcome]:
    """The JC considers a proposed methodology in about 60 days, extendable to 90 (a warning)."""
    for key, history in sorted(ctx.state.versions.items()):
        if history.approved is None:
            continue
        record, version = ctx.registry.version(key)
        if version.public_inputs is None:
            continue
        country = record.model.country
        closed = version.public_inputs.end
        days = (history.approved.effective - closed).days
        usual = ctx.state.parameter(country, "methodology-consideration-days", closed)
        longest = ctx.state.parameter(country, "methodology-consideration-max-days", closed)
        index = record.model.versions.index(version)
        if longest is not None and days > longest.value:
            yield ctx.finding(
                "TIME-CONSIDERATION",
                record,
                ("versions", index, "public_inputs"),
                version=key,
                days=days,
                limit=longest.value,
                approved=history.approved.effective,
                ref=history.approved.ref,
                extent="beyond the extended limit of",
            )
        elif usual is not None and days > usual.value:
            yield ctx.finding(
                "TIME-CONSIDERATION",
                record,
                ("versions", index, "public_inputs"),
                version=key,
                days=days,
                limit=usual.value,
                approved=history.approved.effective,
                ref=history.approved.ref,
                extent="longer than the usual",
            )
        else:
            yield Passed("TIME-CONSIDERATION", record.key)


@rule("TIME-CYCLE-ORDER")
def cycle_order(ctx: Context) -> Iterator[Outcome]:
    """PDD public inputs → registration request → registration; validation before registration."""
    for pid, record in sorted(ctx.registry.projects.items()):
        p = record.model
        history = ctx.state.projects[pid]
        registered = history.registered.effective if history.registered else None
        requested = p.cycle.registration_requested_on if p.cycle else None
        inputs = p.cycle.pdd_public_inputs if p.cycle else None
        report = p.validation.report_date if p.validation else None
        problems = []
        if inputs and requested and inputs.end >= requested:
            problems.append(
                (
                    ("cycle", "registration_requested_on"),
                    f"the registration was requested on {requested}, before the PDD's "
                    f"public inputs closed on {inputs.end}",
                )
            )
        if requested and registered and requested > registered:
            problems.append(
                (
                    ("cycle", "registration_requested_on"),
                    f"the registration request ({requested}) comes after the "
                    f"registration ({registered}, {history.registered.ref})",
                )
            )
        if report and registered and report > registered:
            problems.append(
                (
                    ("validation", "report_date"),
                    f"the validation report ({report}) comes after the registration "
                    f"({registered}, {history.registered.ref})",
                )
            )
        if inputs and registered and inputs.end >= registered:
            problems.append(
                (
                    ("cycle", "pdd_public_inputs"),
                    f"the PDD's public inputs ({inputs.start}–{inputs.end}) had not "
                    f"closed at registration ({registered})",
                )
            )
        for path, detail in problems:
            yield ctx.finding("TIME-CYCLE-ORDER", record, path, detail=detail)
        if not problems and (requested or report or inputs):
            yield Passed("TIME-CYCLE-ORDER", record.key)


@rule(
    "TIME-MONITORING-OUTSIDE-CREDITING",
    "TIME-MONITORING-OVERLAP",
    "TIME-MONITORING-GAP",
    "TIME-VERIFICATION-BEFORE-END",
)
def monitoring_periods(ctx: Context) -> Iterator[Outcome]:
    """Monitoring periods inside the crediting period, contiguous, not overlapping; verified
    after they end."""
    for pid, reports in sorted(ctx.registry.monitoring.items()):
        project = ctx.registry.projects.get(pid)
        periods = []
        if project is not None and project.model.crediting_period:
            periods.append(project.model.crediting_period)
            periods += [a.item.crediting_period for a in ctx.state.projects[pid].renewals]
        previous = None
        for record in reports:
            period = record.model.period
            if periods and not any(
                c.start <= period.start and period.end <= c.end for c in periods
            ):
                yield ctx.finding(
                    "TIME-MONITORING-OUTSIDE-CREDITING",
                    record,
                    ("period",),
                    start=period.start,
                    end=period.end,
                    crediting="; ".join(f"{c.start}–{c.end}" for c in periods),
                )
            elif periods:
                yield Passed("TIME-MONITORING-OUTSIDE-CREDITING", record.key)
            if previous is not None:
                before = previous.model.period
                if period.start <= before.end:
                    yield ctx.finding(
                        "TIME-MONITORING-OVERLAP",
                        record,
                        ("period", "start"),
                        start=period.start,
                        other=previous.path,
                        other_end=before.end,
                    )
                elif period.start > before.end + timedelta(days=1):
                    yield ctx.finding(
                        "TIME-MONITORING-GAP",
                        record,
                        ("period", "start"),
                        start=before.end + timedelta(days=1),
                        end=period.start - timedelta(days=1),
                    )
                else:
                    yield Passed("TIME-MONITORING-OVERLAP", record.key)
            previous = record
            verification = record.model.verification
            if verification and verification.report_date:
                if verification.report_date <= period.end:
                    yield ctx.finding(
                        "TIME-VERIFICATION-BEFORE-END",
                        record,
                        ("verification", "report_date"),
                        date=verification.report_date,
                        end=period.end,
                    )
                else:
                    yield Passed("TIME-VERIFICATION-BEFORE-END", record.key)
