"""What one run of the checks produced, stage by stage: what `jcm validate` reports and the
render stage builds on."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.compute.recalc import Computed
from generator.compute.totals import Totals
from generator.findings import Finding
from generator.link.registry import Registry
from generator.load.records import Loaded
from generator.report.completeness import Measure
from generator.report.integrity import RuleTally
from generator.rules import Outcome
from generator.status.fold import State


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
    integrity: list[RuleTally] = field(default_factory=list)
