"""Financing-programme rules as data: e.g. MOEJ model projects deliver at least half of the
credits to the Government of Japan (a smaller share is a warning)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from generator.rules.registry import Context, Outcome, Passed, rule

GOVERNMENT_OF_JAPAN = "government of japan"


@rule("FINANCE-JAPAN-SHARE")
def japan_share(ctx: Context) -> Iterator[Outcome]:
    programmes = ctx.registry.programmes()
    for act in ctx.state.acts:
        item = act.item
        if item.type != "notify_issuance" or not item.quantity:
            continue
        project = ctx.registry.projects.get(item.project)
        if project is None or project.model.contribution_from_japan is None:
            continue
        programme = programmes.get(project.model.contribution_from_japan.programme or "")
        if programme is None or programme.min_government_of_japan_share is None:
            continue
        lines = [
            a
            for a in item.allocation
            if a.registry == "japan" and (a.account_holder or "").lower() == GOVERNMENT_OF_JAPAN
        ]
        if not lines:
            continue  # the Government of Japan's line is not public
        share = Decimal(sum(a.quantity for a in lines)) / Decimal(item.quantity)
        decision = act.item_ref.decision
        if share < programme.min_government_of_japan_share:
            yield ctx.finding(
                "FINANCE-JAPAN-SHARE",
                decision,
                ("items", act.item_ref.index, "allocation"),
                project=item.project,
                share=f"{share:.1%}",
                minimum=f"{programme.min_government_of_japan_share:.0%}",
                programme=programme.title,
            )
        else:
            yield Passed("FINANCE-JAPAN-SHARE", decision.key)
