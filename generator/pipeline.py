"""The pipeline: load → validate → link → compute → check → render → publish, and nothing else.

Each stage is a function of the previous stage's output; this module only strings them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.compute.recalc import Computed, compute
from generator.compute.totals import Totals, totals
from generator.coverage import Measure, coverage
from generator.findings import Finding, sort_findings
from generator.link import Registry, link
from generator.load.registry import Loaded, load_registry
from generator.load.tree import SourceTree, WorkingTree
from generator.rules import Outcome, run_rules
from generator.state import State, fold


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


def validate_tree(tree: SourceTree) -> Validation:
    """load → link → fold the decisions → compute → run the rules → measure coverage."""
    loaded = load_registry(tree)
    registry = link(loaded)
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


def validate_root(root: Path) -> Validation:
    return validate_tree(WorkingTree(root))


@dataclass
class Build:
    validation: Validation
    site: Path | None = None


def build(root: Path, out: Path) -> Build:
    """Validate, and only if nothing is an error, render and publish the site into `out`."""
    from generator.findings import has_errors
    from generator.history import read_history
    from generator.publish import build_site, site_config
    from generator.render.site import render_site

    validation = validate_root(root)
    if has_errors(validation.findings):
        return Build(validation)
    history = read_history(root)
    config = site_config(root)
    rendered = render_site(validation, history, config)
    site = build_site(root, rendered.pages, rendered.files, out, history, validation.loaded.inputs)
    return Build(validation, site)
