"""The pipeline: load → validate → link → compute → check → render → publish, and nothing else.

Each stage is a function of the previous stage's output; this module only strings them together.
"""

from __future__ import annotations

import gc
import time
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
            from generator.load.registry import remember_positions
            from generator.partitions import remember_partitions

            clock.lap()
            remember_partitions(validation.loaded, cache)
            remember_positions(validation.loaded, cache)
            clock.lap("cache partition summaries")
        return validation


def validate_loaded(
    loaded: Loaded, outside: Iterable[Summary] = (), timings: dict[str, float] | None = None
) -> Validation:
    """Everything after the load stage (`outside`: see `generator.partitions`)."""
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
    validation = Validation(
        loaded=loaded,
        findings=sort_findings([*loaded.findings, *registry.findings, *rule_findings]),
        registry=registry,
        state=state,
        computed=computed,
        totals=totals(registry, state),
        outcomes=outcomes,
        coverage=coverage(registry, state),
    )
    clock.lap("totals and coverage")
    return validation


class Clock:
    """Laps of wall time into a dict (or nowhere): the benchmark's view of the stages."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str | None = None) -> None:
        now = time.perf_counter()
        if self.timings is not None and name:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def validate_root(
    root: Path, cache: Cache | None = None, timings: dict[str, float] | None = None
) -> Validation:
    return validate_tree(WorkingTree(root), cache, timings)


@dataclass
class Build:
    validation: Validation
    site: Path | None = None


def build(
    root: Path, out: Path, cache: Cache | None = None, timings: dict[str, float] | None = None
) -> Build:
    """Validate, and only if nothing is an error, render and publish the site into `out`.

    `timings`, when given, receives the seconds each stage took (for the benchmark)."""
    from generator.findings import has_errors
    from generator.history import read_history
    from generator.publish import build_site, site_config
    from generator.render.site import render_site

    validation = validate_root(root, cache, timings)
    if has_errors(validation.findings):
        return Build(validation)
    clock = Clock(timings)
    history = read_history(root)
    config = site_config(root)
    with paused_gc():
        rendered = render_site(validation, history, config, later=True)
    clock.lap("render")
    site = build_site(
        root,
        rendered.pages,
        rendered.files,
        out,
        history,
        validation.loaded.inputs,
        timings=timings,
        page_cache=cache.directory if cache is not None and cache.enabled else None,
        later=rendered.later,
    )
    return Build(validation, site)
