"""The pipeline: load → validate → link → compute → check → render → publish, and nothing else.

Each stage is a function of the previous stage's output; this module only strings them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.compute.recalc import compute
from generator.compute.totals import totals
from generator.findings import Finding, sort_findings
from generator.link.registry import link
from generator.load.records import Loaded, load_registry
from generator.load.summary import Summary
from generator.load.tree import SourceTree, WorkingTree
from generator.report.completeness import coverage
from generator.report.integrity import tally
from generator.report.validation import Validation
from generator.rules import run_rules
from generator.status.fold import fold
from generator.util.cache import Cache
from generator.util.timing import Clock, paused_gc


def validate_tree(
    tree: SourceTree, cache: Cache | None = None, timings: dict[str, float] | None = None
) -> Validation:
    """load → link → fold the decisions → compute → run the rules → measure coverage.

    `timings`, when given, receives the seconds each stage took (for the benchmark)."""
    with paused_gc():
        clock = Clock(timings)
        loaded = load_registry(tree, cache)
        clock.lap("load")
        validation = validate_loaded(loaded, timings=timings)
        if cache is not None:
            from generator.load.records import remember_positions
            from generator.report.partitions import remember_partitions

            clock.lap()
            remember_partitions(validation.loaded, cache)
            remember_positions(validation.loaded, cache)
            clock.lap("cache partition summaries")
        return validation


def validate_loaded(
    loaded: Loaded, outside: Iterable[Summary] = (), timings: dict[str, float] | None = None
) -> Validation:
    """Everything after the load stage (`outside`: see `generator.changes`)."""
    clock = Clock(timings)
    registry = link(loaded, outside)
    clock.lap("link")
    state = fold(registry)
    clock.lap("fold decisions")
    computed = compute(registry, state)
    clock.lap("compute")
    outcomes = run_rules(registry, state, computed)
    clock.lap("rules")
    rule_findings = [o for o in outcomes if isinstance(o, Finding)]
    findings = sort_findings([*loaded.findings, *registry.findings, *rule_findings])
    validation = Validation(
        loaded=loaded,
        findings=findings,
        registry=registry,
        state=state,
        computed=computed,
        totals=totals(registry, state),
        outcomes=outcomes,
        coverage=coverage(registry, state),
        integrity=tally(outcomes, findings),
    )
    clock.lap("totals and coverage")
    return validation


def validate_root(
    root: Path, cache: Cache | None = None, timings: dict[str, float] | None = None
) -> Validation:
    return validate_tree(WorkingTree(root), cache, timings)


@dataclass
class Build:
    validation: Validation
    site: Path | None = None
    notes: list[str] = field(default_factory=list)
    """What the publish stage says the operator should know (settings it could not apply)."""
    made: int = 0
    kept: int = 0
    """Parts of the site made by this build, and kept from the previous one."""


def build(
    root: Path, out: Path, cache: Cache | None = None, timings: dict[str, float] | None = None
) -> Build:
    """Validate, and only if nothing is an error, render and publish the site into `out`.

    `timings`, when given, receives the seconds each stage took (for the benchmark)."""
    from generator.findings import has_errors
    from generator.load.history import read_history
    from generator.publish import build_site, site_config
    from generator.render.site import plan_site
    from generator.util.cache import code_version

    validation = validate_root(root, cache, timings)
    if has_errors(validation.findings):
        return Build(validation)
    clock = Clock(timings)
    history = read_history(root)
    plan = plan_site(validation, history, site_config(root))
    clock.lap("plan the site")
    kept = cache is not None and cache.enabled
    with paused_gc():
        published = build_site(
            root,
            plan,
            out,
            history,
            validation.loaded.inputs,
            timings=timings,
            cache_dir=cache.directory if kept else None,
            code=code_version(),
        )
    return Build(validation, published.site, published.notes, published.made, published.kept)
