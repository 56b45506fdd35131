"""Recalculation: every figure recomputed from monitored values and the methodology's own
equations, set beside what was claimed and verified.

Severity follows the provenance of the equations: a mismatch with equations read from the
approved methodology document is an error; with equations derived from its summary, a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from generator.findings import Finding, Severity
from generator.rules.registry import Context, Outcome, Passed, rule

COMPUTE_CODES = (
    "EQ-SYNTAX",
    "EQ-UNKNOWN-SYMBOL",
    "EQ-CYCLE",
    "EQ-NO-ER",
    "EQ-PER-UNIT",
    "EQ-UNIT-UNKNOWN",
    "EQ-UNIT-MISMATCH",
    "EQ-TABLE-PATTERN",
    "CALC-UNKNOWN-PARAMETER",
    "CALC-DUPLICATE-VALUE",
    "CALC-NOT-MONITORED",
    "CALC-OPTION-NOT-ALLOWED",
    "CALC-UNIT",
    "CALC-MISSING-VALUE",
    "CALC-OUT-OF-RANGE",
    "CALC-TABLE-NO-ROW",
    "CALC-DIVISION-BY-ZERO",
    "CALC-OVERFLOW",
)


@rule(*COMPUTE_CODES)
def equations_and_inputs(ctx: Context) -> Iterator[Outcome]:
    """Problems the compute stage met in equations and in the values fed to them."""
    yield from ctx.computed.findings


def _severity(basis: str | None) -> Severity:
    return Severity.ERROR if basis == "read" else Severity.WARNING


def _same(claimed: Decimal, recomputed: Decimal) -> bool:
    """Equal at the precision the claimed figure was written with."""
    exponent = claimed.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0:
        return (
            claimed == recomputed.quantize(Decimal(1), rounding=ROUND_HALF_UP)
            or claimed == recomputed
        )
    return claimed == recomputed.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


@rule(
    "CALC-CLAIMED-MISMATCH",
    "CALC-VERIFIED-EXCEEDS-RECOMPUTED",
    "CALC-NOT-RECOMPUTABLE",
    "CALC-ESTIMATE-MISMATCH",
    "EQ-DEFAULT-UNSET",
    "CALC-SCALE",
)
def claimed_and_verified(ctx: Context) -> Iterator[Outcome]:
    for key, compiled in sorted(ctx.computed.versions.items()):
        if compiled.unset_defaults and not compiled.broken:
            record, _ = ctx.registry.version(key)
            yield ctx.finding(
                "EQ-DEFAULT-UNSET",
                record,
                ("versions", compiled.version_index, "parameters"),
                version=key,
                names=", ".join(compiled.unset_defaults),
            )
    for pid, figures in sorted(ctx.computed.projects.items()):
        project = ctx.registry.projects[pid]
        estimate = figures.estimate_recomputed
        if estimate is not None and figures.estimate_claimed is not None:
            value = estimate.result("ER_p")
            if value is not None and Decimal(figures.estimate_claimed) != value:
                yield ctx.finding(
                    "CALC-ESTIMATE-MISMATCH",
                    project,
                    ("estimates", "annual"),
                    severity=Severity.WARNING,
                    claimed=figures.estimate_claimed,
                    recomputed=value,
                    version=figures.methodology,
                )
            else:
                yield Passed("CALC-ESTIMATE-MISMATCH", project.key)
        for chain in figures.periods:
            report = chain.report
            if chain.recomputed is None:
                yield ctx.finding(
                    "CALC-NOT-RECOMPUTABLE", report, ("period",), reason=chain.not_recomputed
                )
                continue
            compiled = ctx.computed.versions[chain.methodology]
            severity = _severity(compiled.basis)
            claimed = chain.claimed
            mismatches: list[Finding] = []
            if claimed is not None:
                pairs = [
                    ("emission_reductions", "ER_p", claimed.emission_reductions),
                    ("reference_emissions", "RE_p", claimed.reference_emissions),
                    ("project_emissions", "PE_p", claimed.project_emissions),
                ]
                for field_name, name, value in pairs:
                    recomputed = chain.recomputed.result(name)
                    if value is None or recomputed is None:
                        continue
                    if not _same(Decimal(value), recomputed):
                        equation = next(e for e in compiled.version.equations if e.name == name)
                        mismatches.append(
                            ctx.finding(
                                "CALC-CLAIMED-MISMATCH",
                                report,
                                ("claimed", field_name),
                                severity=severity,
                                name=name,
                                claimed=value,
                                recomputed=recomputed,
                                expression=equation.expression,
                                version=chain.methodology,
                                basis=compiled.basis or "unstated",
                            )
                        )
            yield from mismatches
            if claimed is not None and not mismatches:
                yield Passed("CALC-CLAIMED-MISMATCH", report.key)
            er = chain.recomputed.result("ER_p")
            if chain.verified is not None and er is not None:
                if Decimal(chain.verified) > er:
                    yield ctx.finding(
                        "CALC-VERIFIED-EXCEEDS-RECOMPUTED",
                        report,
                        ("verification", "verified_er"),
                        severity=severity,
                        verified=chain.verified,
                        recomputed=er,
                        version=chain.methodology,
                    )
                else:
                    yield Passed("CALC-VERIFIED-EXCEEDS-RECOMPUTED", report.key)
            yield from _scale(ctx, chain, er)


SCALE = Decimal(20)
"""How far from the estimate a recomputed figure may be before it looks like a unit slip."""


def _scale(ctx: Context, chain, er: Decimal | None) -> Iterator[Outcome]:
    """Plausibility: a period's figure 20 times above or below the PDD's estimate pro rata
    usually means values typed in kWh under a MWh label (or the reverse)."""
    if er is None or not chain.estimated or chain.estimated <= 0 or er <= 0:
        return
    ratio = er / chain.estimated
    if ratio > SCALE or ratio < 1 / SCALE:
        yield ctx.finding(
            "CALC-SCALE",
            chain.report,
            ("values",),
            severity=Severity.WARNING,
            recomputed=er,
            estimated=chain.estimated.quantize(Decimal(1)),
            ratio=f"{ratio:.3g}",
        )
    else:
        yield Passed("CALC-SCALE", chain.report.key)
