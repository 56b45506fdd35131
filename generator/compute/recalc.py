"""Compute stage: recompute every figure from monitored values and the methodology's equations.

For each project: the PDD's annual estimate recomputed from its estimated values; for each
monitoring report: RE_p, PE_p and ER_p recomputed from the monitored values plus the defaults
of the methodology version the project applies. The result is, per period, the chain
estimated → recomputed → claimed → verified → notified → issued per registry.

Exact decimals throughout; the JCM rounding (emission reductions rounded down to whole tCO2 per
period, intermediates never rounded) is applied once, at the end, as the version's data says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.compute import expressions as ex
from generator.compute.methodology import Compiled, compile_version
from generator.compute.units import UnitError, compatible, factor, parse_unit
from generator.findings import Finding, Severity, make_finding
from generator.link.registry import Registry
from generator.load.records import Record
from generator.schema.base import shown_version
from generator.status.fold import State


@dataclass(frozen=True)
class Figures:
    """One recomputation: every equation's exact value and the rounded results."""

    values: dict[str, Decimal]
    rounded: dict[str, Decimal]

    def result(self, name: str) -> Decimal | None:
        return self.rounded.get(name, self.values.get(name))


@dataclass
class PeriodChain:
    """The figures of one monitoring period, side by side."""

    project: str
    report: Record
    period: Any
    methodology: str | None
    recomputed: Figures | None = None
    not_recomputed: str = ""
    estimated: Decimal | None = None
    estimated_basis: str = ""
    claimed: Any = None
    verified: int | None = None
    notified: int | None = None
    notified_ref: str | None = None
    joint: tuple[str, ...] = ()
    issued_japan: int | None = None
    issued_partner: int | None = None
    issued_total: int | None = None


@dataclass
class ProjectFigures:
    project: str
    methodology: str | None = None
    estimate_claimed: int | None = None
    estimate_recomputed: Figures | None = None
    estimate_not_recomputed: str = ""
    periods: list[PeriodChain] = field(default_factory=list)


@dataclass
class Computed:
    versions: dict[str, Compiled] = field(default_factory=dict)
    projects: dict[str, ProjectFigures] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def compute(registry: Registry, state: State) -> Computed:
    out = Computed()
    for key in sorted(registry.versions):
        record, index = registry.versions[key]
        compiled = compile_version(key, record.model.versions[index], index)
        out.versions[key] = compiled
        for problem in compiled.problems:
            out.findings.append(
                _at(record, problem.code, problem.path, **problem.params, version=key)
            )
    for pid, project in sorted(registry.projects.items()):
        out.projects[pid] = _project(registry, state, out, project)
    return out


def _at(
    record: Record,
    code: str,
    path: tuple,
    severity: Severity | None = None,
    at_key: bool = False,
    **params: Any,
) -> Finding:
    line, col = record.locate_key(*path) if at_key else record.locate(*path)
    return make_finding(
        code, record.path, line, col, severity=severity, record=record.key, **params
    )


def _project(registry: Registry, state: State, out: Computed, project: Record) -> ProjectFigures:
    model = project.model
    figures = ProjectFigures(model.id)
    applied_by_ref = {a.methodology: (i, a) for i, a in enumerate(model.methodologies)}
    single = model.methodologies[0] if len(model.methodologies) == 1 else None
    if single is not None:
        figures.methodology = single.methodology
    if model.estimates is not None:
        figures.estimate_claimed = model.estimates.annual
    if single is not None and single.estimated_values and single.methodology in out.versions:
        compiled = out.versions[single.methodology]
        if compiled.recomputable:
            env = _inputs(out, compiled, project, 0, single, None)
            if env is not None:
                try:
                    figures.estimate_recomputed = _run(compiled, env)
                except ArithmeticError as exc:
                    out.findings.append(
                        _arithmetic(
                            project,
                            ("methodologies", 0, "estimated_values"),
                            exc,
                            single.methodology,
                        )
                    )
                    figures.estimate_not_recomputed = "an equation cannot be evaluated"
        else:
            figures.estimate_not_recomputed = (
                f"{shown_version(single.methodology)} — {compiled.why_not()}"
            )
    for report in registry.monitoring.get(model.id, []):
        chain = _period(registry, state, out, project, report, applied_by_ref, single, figures)
        figures.periods.append(chain)
    return figures


def _period(
    registry: Registry,
    state: State,
    out: Computed,
    project: Record,
    report: Record,
    applied_by_ref: dict,
    single: Any,
    figures: ProjectFigures,
) -> PeriodChain:
    m = report.model
    ref = m.methodology or (single.methodology if single else None)
    chain = PeriodChain(project.model.id, report, m.period, ref, claimed=m.claimed)
    if m.verification is not None:
        chain.verified = m.verification.verified_er
    annual = figures.estimate_recomputed.result("ER_p") if figures.estimate_recomputed else None
    basis = "recomputed from the PDD's estimated values" if annual is not None else ""
    if annual is None and figures.estimate_claimed is not None:
        annual, basis = Decimal(figures.estimate_claimed), "the PDD's annual estimate"
    if annual is not None:
        chain.estimated = annual * Decimal(m.period.days) / Decimal(365)
        chain.estimated_basis = f"{basis}, pro rata for {m.period.days} days"
    _link_notification(registry, state, chain)
    if ref is None:
        chain.not_recomputed = (
            "the report does not say which of the project's methodologies it applies"
        )
    elif ref not in applied_by_ref:
        chain.not_recomputed = f"the project does not apply {shown_version(ref)}"
    elif ref not in out.versions:
        chain.not_recomputed = f"{shown_version(ref)} is not in the registry"
    elif not out.versions[ref].recomputable:
        chain.not_recomputed = f"{shown_version(ref)} — {out.versions[ref].why_not()}"
    elif not m.values:
        chain.not_recomputed = "the monitored values are not public"
    else:
        compiled = out.versions[ref]
        index, applied = applied_by_ref[ref]
        env = _inputs(out, compiled, project, index, applied, report)
        if env is None:
            chain.not_recomputed = "some values are missing or unusable (see the findings)"
        else:
            try:
                chain.recomputed = _run(compiled, env)
            except ArithmeticError as exc:
                out.findings.append(_arithmetic(report, ("values",), exc, ref))
                chain.not_recomputed = "an equation cannot be evaluated with these values"
    return chain


def _arithmetic(record: Record, path: tuple, exc: ArithmeticError, version: str) -> Finding:
    """Division by zero, or numbers beyond any plausible size (hostile input)."""
    if isinstance(exc, ZeroDivisionError):
        return _at(record, "CALC-DIVISION-BY-ZERO", path, at_key=True, version=version)
    return _at(record, "CALC-OVERFLOW", path, at_key=True, version=version)


def _link_notification(registry: Registry, state: State, chain: PeriodChain) -> None:
    history = state.projects.get(chain.project)
    if history is None:
        return
    for act in history.notifications:
        period = act.item.period
        if period is not None and (period.start, period.end) == (
            chain.period.start,
            chain.period.end,
        ):
            chain.notified = act.item.quantity
            chain.notified_ref = act.ref
            chain.joint = tuple(
                p for p in [act.item.project, *act.item.joint_with] if p != chain.project
            )
    for issuance in registry.issuances.get(chain.project, []):
        model = issuance.model
        same_period = model.period is not None and (model.period.start, model.period.end) == (
            chain.period.start,
            chain.period.end,
        )
        if same_period or (chain.notified_ref and model.notification == chain.notified_ref):
            chain.issued_japan = model.japan.total if model.japan else None
            chain.issued_partner = model.partner.total if model.partner else None
            sides = [s for s in (chain.issued_japan, chain.issued_partner) if s is not None]
            chain.issued_total = (
                model.total if model.total is not None else (sum(sides) if sides else None)
            )


def _run(compiled: Compiled, env: ex.Env) -> Figures:
    values: dict[str, Decimal] = {}
    rounded: dict[str, Decimal] = {}
    for equation in compiled.equations:
        value = ex.evaluate(equation.node, env)
        values[equation.name] = value
        env.scalars[equation.name] = value  # later equations see the unrounded value
        rule = compiled.rounding.get(equation.name)
        if rule is not None:
            method = {"down": "round_down", "up": "round_up", "half-up": "round_half_up"}
            rounded[equation.name] = ex.round_to(value, rule.digits, method[rule.method])
    return Figures(values, rounded)


def _inputs(
    out: Computed,
    compiled: Compiled,
    project: Record,
    applied_index: int,
    applied: Any,
    report: Record | None,
) -> ex.Env | None:
    """The values of every parameter the emission reductions need, or None (with findings).

    `report` None means the ex-ante estimate: monitored parameters come from the PDD's
    estimated values.
    """
    model = project.model
    unit_ids = [u.id for u in model.units]
    unit_attrs = {u.id: {**applied.attributes, **u.attributes} for u in model.units}
    scalars: dict[str, Decimal] = {}
    vectors: dict[str, dict[str, Decimal]] = {}
    ok = True
    rows = _rows(out, compiled, report) if report is not None else {}
    if rows is None:
        return None
    for name in sorted(compiled.needed):
        parameter = compiled.parameters[name]
        if parameter.kind == "default":
            got = _default(
                out,
                compiled,
                project,
                applied_index,
                parameter,
                applied.attributes,
                unit_ids,
                unit_attrs,
            )
        elif parameter.kind == "monitored" and report is not None:
            got = _monitored(out, compiled, report, rows.get(name), parameter, unit_ids, project)
        else:
            got = _ex_ante(
                out, compiled, project, applied_index, applied, parameter, unit_ids, report
            )
        if got is None:
            ok = False
        elif isinstance(got, dict):
            vectors[name] = got
        else:
            scalars[name] = got
    return ex.Env(scalars, vectors, unit_ids) if ok else None


def _rows(out: Computed, compiled: Compiled, report: Record) -> dict[str, tuple[int, Any]] | None:
    rows: dict[str, tuple[int, Any]] = {}
    ok = True
    for i, value in enumerate(report.model.values):
        if value.parameter not in compiled.parameters:
            out.findings.append(
                _at(
                    report,
                    "CALC-UNKNOWN-PARAMETER",
                    ("values", i, "parameter"),
                    value=value.parameter,
                    version=compiled.key,
                    known=", ".join(sorted(compiled.parameters)),
                )
            )
            ok = False
            continue
        if value.parameter in rows:
            out.findings.append(
                _at(
                    report,
                    "CALC-DUPLICATE-VALUE",
                    ("values", i, "parameter"),
                    value=value.parameter,
                )
            )
            ok = False
            continue
        rows[value.parameter] = (i, value)
        parameter = compiled.parameters[value.parameter]
        if parameter.kind != "monitored":
            out.findings.append(
                _at(
                    report,
                    "CALC-NOT-MONITORED",
                    ("values", i, "parameter"),
                    value=value.parameter,
                    kind=parameter.kind,
                )
            )
        if (
            value.option
            and parameter.monitoring_options
            and value.option not in parameter.monitoring_options
        ):
            out.findings.append(
                _at(
                    report,
                    "CALC-OPTION-NOT-ALLOWED",
                    ("values", i, "option"),
                    value=value.option,
                    parameter=value.parameter,
                    allowed=", ".join(parameter.monitoring_options),
                )
            )
    return rows if ok else None


def _convert(
    out: Computed,
    compiled: Compiled,
    record: Record,
    path: tuple,
    written: str | None,
    parameter: Any,
) -> Decimal | None:
    """The factor from the unit a value is written in to the parameter's unit (1 if same)."""
    if not written or written.strip() == parameter.unit.strip():
        return Decimal(1)
    target = compiled.units.get(parameter.name)
    try:
        source = parse_unit(written)
    except UnitError:
        out.findings.append(
            _at(
                record,
                "CALC-UNIT",
                path,
                severity=Severity.ERROR,
                value=written,
                parameter=parameter.name,
                expected=parameter.unit,
                detail="is not a unit the registry knows",
            )
        )
        return None
    if target is None or not compatible(source, target):
        out.findings.append(
            _at(
                record,
                "CALC-UNIT",
                path,
                severity=Severity.ERROR,
                value=written,
                parameter=parameter.name,
                expected=parameter.unit,
                detail="measures something else",
            )
        )
        return None
    scale = factor(source, target)
    if scale != 1:
        out.findings.append(
            _at(
                record,
                "CALC-UNIT",
                path,
                severity=Severity.WARNING,
                value=written,
                parameter=parameter.name,
                expected=parameter.unit,
                detail=f"was converted (× {scale})",
            )
        )
    return scale


def _monitored(
    out: Computed,
    compiled: Compiled,
    report: Record,
    row: tuple[int, Any] | None,
    parameter: Any,
    unit_ids: list[str],
    project: Record,
) -> Any:
    if row is None:
        out.findings.append(
            _at(
                report,
                "CALC-MISSING-VALUE",
                ("values",),
                at_key=True,
                value=parameter.name,
                version=compiled.key,
                where="in this monitoring report",
            )
        )
        return None
    i, value = row
    scale = _convert(out, compiled, report, ("values", i, "unit"), value.unit, parameter)
    if scale is None:
        return None
    if parameter.per_unit:
        if value.per_unit is None:
            out.findings.append(
                _at(
                    report,
                    "CALC-MISSING-VALUE",
                    ("values", i),
                    value=f"{parameter.name} per unit",
                    version=compiled.key,
                    where="(the parameter is indexed per unit: give `per_unit`)",
                )
            )
            return None
        missing = [u for u in unit_ids if u not in value.per_unit]
        if missing or not unit_ids:
            out.findings.append(
                _at(
                    report,
                    "CALC-MISSING-VALUE",
                    ("values", i, "per_unit"),
                    value=f"{parameter.name} for unit(s) "
                    f"{', '.join(missing) or '(the project declares none)'}",
                    version=compiled.key,
                    where="in this monitoring report",
                )
            )
            return None
        result = {u: value.per_unit[u] * scale for u in unit_ids}
        for u in unit_ids:
            _range(out, report, ("values", i, "per_unit", u), parameter, result[u])
        return result
    if value.value is None:
        out.findings.append(
            _at(
                report,
                "CALC-MISSING-VALUE",
                ("values", i),
                value=parameter.name,
                version=compiled.key,
                where="(the parameter is not per unit: give `value`)",
            )
        )
        return None
    result = value.value * scale
    _range(out, report, ("values", i, "value"), parameter, result)
    return result


def _range(out: Computed, record: Record, path: tuple, parameter: Any, value: Decimal) -> None:
    bounds = parameter.range
    if bounds is None:
        return
    if (bounds.min is not None and value < bounds.min) or (
        bounds.max is not None and value > bounds.max
    ):
        out.findings.append(
            _at(
                record,
                "CALC-OUT-OF-RANGE",
                path,
                value=value,
                parameter=parameter.name,
                low="−∞" if bounds.min is None else bounds.min,
                high="∞" if bounds.max is None else bounds.max,
                unit=parameter.unit,
            )
        )


def _default(
    out: Computed,
    compiled: Compiled,
    project: Record,
    applied_index: int,
    parameter: Any,
    attributes: dict,
    unit_ids: list[str],
    unit_attrs: dict[str, dict],
) -> Any:
    if parameter.table is None:
        if parameter.per_unit:
            return {u: parameter.value for u in unit_ids}
        return parameter.value
    if parameter.per_unit:
        result = {}
        for u in unit_ids:
            value = _lookup(out, compiled, project, applied_index, parameter, unit_attrs[u], u)
            if value is None:
                return None
            result[u] = value
        return result
    return _lookup(out, compiled, project, applied_index, parameter, attributes, None)


def _lookup(
    out: Computed,
    compiled: Compiled,
    project: Record,
    applied_index: int,
    parameter: Any,
    attributes: dict,
    unit: str | None,
) -> Decimal | None:
    table = parameter.table
    for row in table.rows:
        if all(attributes.get(k) == v for k, v in row.when.items()):
            return row.value
    wanted = ", ".join(f"{k} = {attributes.get(k, '?')}" for k in table.keys)
    out.findings.append(
        _at(
            project,
            "CALC-TABLE-NO-ROW",
            ("methodologies", applied_index),
            parameter=parameter.name,
            version=compiled.key,
            wanted=wanted,
            unit=f" (unit {unit})" if unit else "",
        )
    )
    return None


def _ex_ante(
    out: Computed,
    compiled: Compiled,
    project: Record,
    applied_index: int,
    applied: Any,
    parameter: Any,
    unit_ids: list[str],
    report: Record | None,
) -> Any:
    value = applied.estimated_values.get(parameter.name)
    if value is None:
        if report is not None or parameter.kind == "ex-ante":
            out.findings.append(
                _at(
                    project,
                    "CALC-MISSING-VALUE",
                    ("methodologies", applied_index),
                    value=parameter.name,
                    version=compiled.key,
                    where="in the project's `estimated_values`",
                )
            )
        return None
    if parameter.per_unit:
        if not isinstance(value, dict) or any(u not in value for u in unit_ids) or not unit_ids:
            out.findings.append(
                _at(
                    project,
                    "CALC-MISSING-VALUE",
                    ("methodologies", applied_index, "estimated_values", parameter.name),
                    value=f"{parameter.name} for every unit",
                    version=compiled.key,
                    where="in the project's `estimated_values`",
                )
            )
            return None
        return {u: value[u] for u in unit_ids}
    if isinstance(value, dict):
        out.findings.append(
            _at(
                project,
                "CALC-MISSING-VALUE",
                ("methodologies", applied_index, "estimated_values", parameter.name),
                value=f"{parameter.name} as one number",
                version=compiled.key,
                where="(the parameter is not per unit)",
            )
        )
        return None
    return value
