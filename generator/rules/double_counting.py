"""Double counting: a JCM project may not also be registered under another international
mechanism unless its withdrawal from it is recorded (the list of mechanisms is data)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.rules.registry import Context, Outcome, Passed, rule


@rule("DOUBLE-COUNTING")
def other_mechanisms(ctx: Context) -> Iterator[Outcome]:
    mechanisms = ctx.registry.mechanisms()
    for _pid, record in sorted(ctx.registry.projects.items()):
        others = record.model.other_registrations
        if not others:
            continue
        clean = True
        for i, other in enumerate(others):
            mechanism = mechanisms.get(other.mechanism)
            if mechanism is None or not mechanism.international:
                continue
            if other.withdrawn_on is None:
                clean = False
                yield ctx.finding(
                    "DOUBLE-COUNTING",
                    record,
                    ("other_registrations", i),
                    mechanism=mechanism.name,
                    reference=other.reference or "(reference not recorded)",
                )
        if clean:
            yield Passed("DOUBLE-COUNTING", record.key)
