"""The pipeline: load → validate → link → compute → check → render → publish, and nothing else.

Each stage is a function of the previous stage's output; this module only strings them together.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Cache
from generator.compute.recalc import Computed, compute
from generator.compute.totals import Totals, totals
from generator.coverage import Measure, coverage
from generator.findings import Finding, sort_findings
from generator.link import Registry, link
from generator.load.registry import Loaded, load_registry
from generator.load.tree import SourceTree, WorkingTree
from generator.rules import Outcome, run_rules
from generator.state import State, fold

if TYPE_CHECKING:
    from generator.partitions import Summary


@dataclass
class Validation:
    """What `jcm validate` reports, and what the render stage builds on."""

    loaded: Loaded
    findings: list[Finding] = field(default_factory=list)
    registry: Registry | None = None
    state: State | None = None
    computed: Computed | None = None
    totals: Totals | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    coverage: list[Measure] = field(default_factory=list)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a stage without the cyclic garbage collector.

    **Why:** a registry is hundreds of thousands of small objects that all stay alive; the
    collector would scan them again and again while they are built (a third of the load time
    at 10,000 projects) and find nothing to free. What the stage leaves alive is then frozen
    (moved out of the collector's sight) rather than scanned once more on the way out.
    Reference counting still frees everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def validate_tree(tree: SourceTree, cache: Cache | None = None) -> Validation:
    """load → link → fold the decisions → compute → run the rules → measure coverage."""
    with paused_gc():
        validation = validate_loaded(load_registry(tree, cache))
        if cache is not None:
            from generator.partitions import remember_partitions

            remember_partitions(validation.loaded, cache)
        return validation


def validate_loaded(loaded: Loaded, outside: Iterable[Summary] = ()) -> Validation:
    """Everything after the load stage (`outside`: see `generator.partitions`)."""
    registry = link(loaded, outside)
    state = fold(registry)
    computed = compute(registry, state)
    outcomes = run_rules(registry, state, computed)
    rule_findings = [o for o in outcomes if isinstance(o, Finding)]
    return Validation(
        loaded=loaded,
        findings=sort_findings([*loaded.findings, *registry.findings, *rule_findings]),
        registry=registry,
        state=state,
        computed=computed,
        totals=totals(registry, state),
        outcomes=outcomes,
        coverage=coverage(registry, state),
    )


def validate_root(root: Path, cache: Cache | None = None) -> Validation:
    return validate_tree(WorkingTree(root), cache)


@dataclass
class Build:
    validation: Validation
    site: Path | None = None


def build(root: Path, out: Path, cache: Cache | None = None) -> Build:
    """Validate, and only if nothing is an error, render and publish the site into `out`."""
    from generator.findings import has_errors
    from generator.history import read_history
    from generator.publish import build_site, site_config
    from generator.render.site import render_site

    validation = validate_root(root, cache)
    if has_errors(validation.findings):
        return Build(validation)
    history = read_history(root)
    config = site_config(root)
    with paused_gc():
        rendered = render_site(validation, history, config)
    site = build_site(root, rendered.pages, rendered.files, out, history, validation.loaded.inputs)
    return Build(validation, site)
