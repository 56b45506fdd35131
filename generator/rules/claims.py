"""Claims: a record that states a step happened needs the record that authorises it.

A step the public record is simply silent about is *incomplete* (a coverage gap), not an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.rules.ledger import notification_of, reports_for
from generator.rules.registry import Context, Outcome, Passed, rule

PUBLISHED = {
    "registered": "registered",
    "withdrawn": "withdrawn",
    "registration-request-withdrawn": "registration request withdrawn",
    "planned": "planned",
}


@rule("CLAIM-ISSUANCE-WITHOUT-NOTIFICATION", "CLAIM-NOTIFICATION-NOT-PUBLIC")
def issuance_needs_notification(ctx: Context) -> Iterator[Outcome]:
    for _pid, records in sorted(ctx.registry.issuances.items()):
        for record in records:
            model = record.model
            if notification_of(ctx, record) is not None:
                yield Passed("CLAIM-ISSUANCE-WITHOUT-NOTIFICATION", record.key)
            elif model.notified_on is None:
                yield ctx.finding(
                    "CLAIM-NOTIFICATION-NOT-PUBLIC",
                    record,
                    ("reported_on",),
                    project=model.project,
                    day=model.reported_on,
                )
            elif model.notification is None:
                yield ctx.finding(
                    "CLAIM-ISSUANCE-WITHOUT-NOTIFICATION",
                    record,
                    ("notified_on",),
                    project=model.project,
                    day=model.notified_on,
                )


@rule("CLAIM-NOTIFICATION-UNREGISTERED", "CLAIM-NOTIFICATION-UNVERIFIED")
def notification_needs_registration_and_verification(ctx: Context) -> Iterator[Outcome]:
    for act in ctx.state.acts:
        item = act.item
        if item.type != "notify_issuance":
            continue
        decision = act.item_ref.decision
        path = ("items", act.item_ref.index)
        for pid in [item.project, *item.joint_with]:
            history = ctx.state.projects.get(pid)
            if history is None:
                continue
            status = history.status_on(act.effective)
            if status != "registered":
                yield ctx.finding(
                    "CLAIM-NOTIFICATION-UNREGISTERED",
                    decision,
                    (*path, "project"),
                    project=pid,
                    status=status,
                    day=act.effective,
                )
            else:
                yield Passed("CLAIM-NOTIFICATION-UNREGISTERED", decision.key)
        reports = reports_for(ctx, act)
        if reports is None:
            what = (
                "the monitoring period is not recorded"
                if item.period is None
                else f"no monitoring report for {item.period.start}–{item.period.end} is recorded"
            )
            yield ctx.finding(
                "CLAIM-NOTIFICATION-UNVERIFIED", decision, path, project=item.project, detail=what
            )
            continue
        unverified = [r for r in reports if r.model.verification is None]
        negative = [
            r
            for r in reports
            if r.model.verification and r.model.verification.opinion == "negative"
        ]
        for report in negative:
            yield ctx.finding(
                "CLAIM-NOTIFICATION-UNVERIFIED",
                decision,
                path,
                severity=Severity.ERROR,
                project=report.model.project,
                detail=f"the verification of {report.path} is negative",
            )
        for report in unverified:
            yield ctx.finding(
                "CLAIM-NOTIFICATION-UNVERIFIED",
                decision,
                path,
                project=report.model.project,
                detail=f"the verification of {report.path} is not recorded",
            )
        if not unverified and not negative:
            yield Passed("CLAIM-NOTIFICATION-UNVERIFIED", decision.key)


@rule("CLAIM-STATUS-PUBLISHED", "CLAIM-REGISTERED-UNVALIDATED", "CLAIM-REGISTRATION-UNRECORDED")
def project_status(ctx: Context) -> Iterator[Outcome]:
    for pid, record in sorted(ctx.registry.projects.items()):
        p = record.model
        history = ctx.state.projects[pid]
        derived = history.status_on()
        published = p.status_as_published
        if published is not None:
            expected = PUBLISHED.get(published)
            if published == "validation":
                if derived == "registered":
                    yield ctx.finding(
                        "CLAIM-STATUS-PUBLISHED",
                        record,
                        ("status_as_published",),
                        severity=Severity.WARNING,
                        published=published,
                        derived=derived,
                        hint="the published list may be out of date",
                    )
                else:
                    yield Passed("CLAIM-STATUS-PUBLISHED", record.key)
            elif derived != expected:
                # claiming a registration without the decision is an error; other published
                # steps whose decision is not in the data are gaps
                severity = Severity.ERROR if published == "registered" else Severity.INCOMPLETE
                yield ctx.finding(
                    "CLAIM-STATUS-PUBLISHED",
                    record,
                    ("status_as_published",),
                    severity=severity,
                    published=published,
                    derived=derived,
                    hint="record the JC decision that took this step",
                )
            else:
                yield Passed("CLAIM-STATUS-PUBLISHED", record.key)
        if history.registered and p.validation is None:
            yield ctx.finding(
                "CLAIM-REGISTERED-UNVALIDATED",
                record,
                ("id",),
                project=pid,
                ref=history.registered.ref,
            )
        if (
            p.validation
            and p.validation.opinion == "positive"
            and history.registered is None
            and derived not in ("registration request withdrawn", "withdrawn")
        ):
            yield ctx.finding(
                "CLAIM-REGISTRATION-UNRECORDED", record, ("validation", "opinion"), project=pid
            )
