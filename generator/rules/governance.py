"""Governance of the Joint Committees: membership, co-chairs, electronic decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from generator.rules.registry import Context, Outcome, Passed, rule
from generator.status.fold import members_on


@rule("GOV-MEMBERS-LIMIT")
def members_per_side(ctx: Context) -> Iterator[Outcome]:
    """Each government designates at most N members (on every day membership changes)."""
    for code, record in sorted(ctx.registry.countries.items()):
        jc = record.model.joint_committee
        if jc is None or not jc.members:
            continue
        days = sorted({m.since for m in jc.members if m.since} | {date(2013, 1, 8)})
        worst: tuple[int, str, date] | None = None
        for day in days:
            current = members_on(ctx.registry, code, day) or []
            for side, count in Counter(m.side for m in current).items():
                if worst is None or count > worst[0]:
                    worst = (count, side, day)
        if worst is None:
            continue
        count, side, day = worst
        limit = ctx.state.parameter(code, "max-members-per-side", day)
        if limit is not None and count > limit.value:
            yield ctx.finding(
                "GOV-MEMBERS-LIMIT",
                record,
                ("joint_committee", "members"),
                severity=ctx.severity_of(limit),
                count=count,
                side=side,
                day=day,
                limit=limit.value,
                basis=ctx.basis_words(limit),
            )
        else:
            yield Passed("GOV-MEMBERS-LIMIT", record.key)


@rule("GOV-CO-CHAIRS")
def co_chairs(ctx: Context) -> Iterator[Outcome]:
    """Co-chairs are elected annually, one per side: one entry per year, each a member."""
    for code, record in sorted(ctx.registry.countries.items()):
        jc = record.model.joint_committee
        if jc is None or not jc.co_chairs:
            continue
        seen: set[int] = set()
        ok = True
        for i, term in enumerate(jc.co_chairs):
            if term.year in seen:
                ok = False
                yield ctx.finding(
                    "GOV-CO-CHAIRS",
                    record,
                    ("joint_committee", "co_chairs", i, "year"),
                    detail=f"the year {term.year} is listed twice",
                )
            seen.add(term.year)
            members = members_on(ctx.registry, code, date(term.year, 12, 31))
            if members is None:
                continue
            names = {m.name for m in members}
            for side in ("japan", "partner"):
                name = getattr(term, side)
                if name and name not in names:
                    ok = False
                    yield ctx.finding(
                        "GOV-CO-CHAIRS",
                        record,
                        ("joint_committee", "co_chairs", i, side),
                        detail=f"{name} is not a recorded {side} member in {term.year}",
                    )
        if ok:
            yield Passed("GOV-CO-CHAIRS", record.key)


@rule("GOV-EDECISION-NOT-ADOPTED", "GOV-EDECISION-NON-MEMBER")
def electronic_decisions(ctx: Context) -> Iterator[Outcome]:
    """An electronic decision recorded as adopted must be adopted under the rule in force."""
    for key, adoption in sorted(ctx.state.adoptions.items()):
        record = ctx.registry.decisions[key]
        model = record.model
        window = ctx.state.parameter(
            model.country, "electronic-decision-days", model.electronic.distributed_on or model.date
        )
        if not adoption.adopted:
            reason = (
                f"negative assertion by {', '.join(adoption.negative)} within "
                f"{adoption.window_days} days of distribution"
                if adoption.negative
                else "neither both co-chairs nor all members asserted affirmatively"
            )
            yield ctx.finding(
                "GOV-EDECISION-NOT-ADOPTED",
                record,
                ("electronic",),
                severity=ctx.severity_of(window),
                reason=reason,
            )
        else:
            yield Passed("GOV-EDECISION-NOT-ADOPTED", record.key)
        members = members_on(
            ctx.registry, model.country, model.electronic.distributed_on or model.date
        )
        if members is None:
            continue
        names = {m.name for m in members}
        strangers = [
            (i, a) for i, a in enumerate(model.electronic.assertions) if a.member not in names
        ]
        for i, assertion in strangers:
            yield ctx.finding(
                "GOV-EDECISION-NON-MEMBER",
                record,
                ("electronic", "assertions", i, "member"),
                value=assertion.member,
            )
        if not strangers:
            yield Passed("GOV-EDECISION-NON-MEMBER", record.key)
