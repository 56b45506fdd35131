"""Registry rules: one module per family (governance, timelines, ledger, …), run in a fixed order.

A new rule goes into its family's module, registered with `@rule(CODE, …)` from
`generator.rules.registry`, its codes described in `generator/findings_catalogue.yaml`; a new
family is a new module, imported below.
"""

from __future__ import annotations

from generator.compute.recalc import Computed
from generator.link.registry import Registry
from generator.rules import (  # noqa: F401  (each family registers its rules when imported)
    claims,
    double_counting,
    financing,
    governance,
    ledger,
    recalculation,
    timelines,
    validation,
)
from generator.rules.registry import RULES, Context, Outcome, Passed, Rule
from generator.status.fold import State

__all__ = ["Outcome", "Passed", "Rule", "registered_rules", "run_rules"]


def registered_rules() -> list[Rule]:
    """Every rule, in the order the families registered them."""
    return RULES


def run_rules(registry: Registry, state: State, computed: Computed) -> list[Outcome]:
    """Every registered rule over the registry, in a fixed order."""
    ctx = Context(registry, state, computed)
    out: list[Outcome] = []
    for entry in registered_rules():
        out.extend(entry.check(ctx))
    return out
