"""Validation and verification: opinions, TPE designations, methodology versions in force."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator.findings import Severity
from generator.load.records import Record
from generator.rules.registry import Context, Outcome, Passed, rule


@rule("VAL-OPINION-OPEN-ITEMS", "VAL-NEGATIVE-REGISTERED")
def validation_opinion(ctx: Context) -> Iterator[Outcome]:
    """The opinion is positive only if no checklist item has a CAR or CL remaining."""
    for pid, record in sorted(ctx.registry.projects.items()):
        validation = record.model.validation
        if validation is None or validation.opinion is None:
            continue
        open_items = [i for i, c in enumerate(validation.checklist) if c.car_or_cl_remaining]
        if validation.opinion == "positive" and open_items:
            for i in open_items:
                yield ctx.finding(
                    "VAL-OPINION-OPEN-ITEMS",
                    record,
                    ("validation", "checklist", i, "car_or_cl_remaining"),
                    item=validation.checklist[i].item,
                )
        else:
            yield Passed("VAL-OPINION-OPEN-ITEMS", record.key)
        registered = ctx.state.projects[pid].registered
        if validation.opinion == "negative" and registered:
            yield ctx.finding(
                "VAL-NEGATIVE-REGISTERED", record, ("validation", "opinion"), ref=registered.ref
            )


def project_scopes(ctx: Context, project: Record) -> list[int | None]:
    scopes: list[int | None] = []
    for applied in project.model.methodologies:
        hit = ctx.registry.version(applied.methodology)
        scope = hit[0].model.sectoral_scope if hit else None
        if scope not in scopes:
            scopes.append(scope)
    return scopes or [None]


def _check_tpe(
    ctx: Context,
    record: Record,
    path: tuple,
    tpe_ref: str,
    country: str,
    function: str,
    scopes: list[int | None],
    day: date | None,
) -> Iterator[Outcome]:
    slug = ctx.registry.tpe_slug(tpe_ref)
    if slug is None:
        return  # REF-UNRESOLVED already says so
    if day is None:
        yield ctx.finding(
            "VAL-TPE-NOT-DESIGNATED",
            record,
            path,
            severity=Severity.INCOMPLETE,
            tpe=tpe_ref,
            function=function,
            country=country,
            scope="?",
            day="(date not recorded)",
            reason="the report date is not recorded",
        )
        return
    for scope in scopes:
        may, reason = ctx.state.tpe_may(slug, country, function, scope, day)
        if may is True:
            yield Passed("VAL-TPE-NOT-DESIGNATED", record.key)
            continue
        yield ctx.finding(
            "VAL-TPE-NOT-DESIGNATED",
            record,
            path,
            severity=Severity.INCOMPLETE if may is None else None,
            tpe=tpe_ref,
            function=function,
            country=country,
            scope=scope if scope is not None else "any",
            day=day,
            reason=reason,
        )


@rule("VAL-TPE-NOT-DESIGNATED")
def tpe_designated(ctx: Context) -> Iterator[Outcome]:
    """A TPE validates or verifies only for the country, scope and function it was designated
    for, within the designation's validity and not while suspended."""
    for pid, record in sorted(ctx.registry.projects.items()):
        p = record.model
        scopes = project_scopes(ctx, record)
        if p.validation is not None:
            history = ctx.state.projects[pid]
            day = p.validation.report_date or (
                history.registered.effective if history.registered else None
            )
            yield from _check_tpe(
                ctx,
                record,
                ("validation", "tpe"),
                p.validation.tpe,
                p.country,
                "validation",
                scopes,
                day,
            )
        for report in ctx.registry.monitoring.get(pid, []):
            verification = report.model.verification
            if verification is None:
                continue
            yield from _check_tpe(
                ctx,
                report,
                ("verification", "tpe"),
                verification.tpe,
                p.country,
                "verification",
                scopes,
                verification.report_date,
            )


@rule("MTH-VERSION-NOT-VALID", "MTH-APPROVAL-UNRECORDED")
def methodology_in_force(ctx: Context) -> Iterator[Outcome]:
    """The version a project applies was valid when its PDD was published for public inputs
    (a later revision does not invalidate a registered project)."""
    for key, history in sorted(ctx.state.versions.items()):
        record, _version = ctx.registry.version(key)
        if record.key[3:5] == "AM" and history.approved is None:
            index = [v.version for v in record.model.versions].index(key.split("@")[1])
            yield ctx.finding(
                "MTH-APPROVAL-UNRECORDED", record, ("versions", index, "version"), version=key
            )
    for pid, record in sorted(ctx.registry.projects.items()):
        p = record.model
        history = ctx.state.projects[pid]
        inputs = p.cycle.pdd_public_inputs if p.cycle else None
        for i, applied in enumerate(p.methodologies):
            version = ctx.state.versions.get(applied.methodology)
            if version is None:
                continue  # unresolved: REF-UNRESOLVED
            path = ("methodologies", i, "methodology")
            if inputs is not None:
                if version.approved is None:
                    continue  # MTH-APPROVAL-UNRECORDED covers it
                if not version.valid_on(inputs.start):
                    yield ctx.finding(
                        "MTH-VERSION-NOT-VALID",
                        record,
                        path,
                        version=applied.methodology,
                        day=inputs.start,
                        status=version.status_on(inputs.start),
                        when="its PDD was published for public inputs",
                    )
                else:
                    yield Passed("MTH-VERSION-NOT-VALID", record.key)
            elif (
                history.registered
                and version.approved
                and version.approved.effective > history.registered.effective
            ):
                yield ctx.finding(
                    "MTH-VERSION-NOT-VALID",
                    record,
                    path,
                    version=applied.methodology,
                    day=history.registered.effective,
                    status="not yet approved",
                    when="the project was registered",
                )
