"""Compile a methodology version's equations: parse, check symbols, cycles, units; order them.

A version compiles into an evaluation plan (equations in dependency order, unit conversions
made explicit) plus the problems found. Checked when the methodology loads: unknown symbols,
cycles, a missing `ER_p`, per-unit misuse, and units — each equation's unit must follow from
its parameters, and the emissions `RE_p`, `PE_p`, `ER_p` must reduce to tCO2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pint

from generator.compute import expressions as ex
from generator.compute.units import UnitError, compatible, factor, parse_unit, reduces_to_emissions

EMISSION_EQUATIONS = ("RE_p", "PE_p", "ER_p")


@dataclass(frozen=True)
class Problem:
    """A problem found in a methodology version, located by its path in the record."""

    code: str
    path: tuple
    params: dict[str, Any]


@dataclass(frozen=True)
class Equation:
    name: str
    node: ex.Node
    unit: pint.Unit
    index: int
    uses: frozenset[str]


@dataclass
class Compiled:
    """What the engine needs to recompute figures with one methodology version."""

    key: str
    version: Any
    version_index: int
    parameters: dict[str, Any] = field(default_factory=dict)
    units: dict[str, pint.Unit] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    rounding: dict[str, Any] = field(default_factory=dict)
    needed: set[str] = field(default_factory=set)
    """Parameters the emission reductions depend on."""
    unset_defaults: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def basis(self) -> str | None:
        p = self.version.equations_provenance
        return p.basis if p else None

    @property
    def broken(self) -> bool:
        return any(p.code != "EQ-TABLE-PATTERN" for p in self.problems)

    @property
    def recomputable(self) -> bool:
        return (
            bool(self.equations)
            and not self.broken
            and not self.unset_defaults
            and any(e.name == "ER_p" for e in self.equations)
        )

    def why_not(self) -> str:
        if not self.version.equations:
            return "its equations are not encoded in the registry"
        if self.broken:
            return "its equations have errors"
        if self.unset_defaults:
            return f"default values not public: {', '.join(self.unset_defaults)}"
        return "it has no ER_p equation"


class _UnitMismatch(Exception):
    def __init__(self, left: Any, right: Any, where: str) -> None:
        super().__init__(where)
        self.left, self.right, self.where = left, right, where


def compile_version(key: str, version: Any, index: int) -> Compiled:
    compiled = Compiled(key, version, index)
    base = ("versions", index)
    for i, parameter in enumerate(version.parameters):
        compiled.parameters[parameter.name] = parameter
        try:
            compiled.units[parameter.name] = parse_unit(parameter.unit)
        except UnitError:
            compiled.problems.append(
                Problem(
                    "EQ-UNIT-UNKNOWN", (*base, "parameters", i, "unit"), {"value": parameter.unit}
                )
            )
        if parameter.table is not None:
            _check_patterns(compiled, parameter, (*base, "parameters", i, "table"))
    parsed: dict[str, tuple[int, ex.Node]] = {}
    for i, equation in enumerate(version.equations):
        path = (*base, "equations", i, "expression")
        try:
            parsed[equation.name] = (i, ex.parse(equation.expression))
        except ex.ExpressionError as exc:
            compiled.problems.append(
                Problem("EQ-SYNTAX", path, {"detail": str(exc), "name": equation.name})
            )
        if equation.name in compiled.parameters:
            compiled.problems.append(
                Problem(
                    "EQ-UNKNOWN-SYMBOL",
                    path,
                    {
                        "name": equation.name,
                        "value": equation.name,
                        "detail": "an equation may not have the name of a parameter",
                    },
                )
            )
    if version.equations and "ER_p" not in {e.name for e in version.equations}:
        compiled.problems.append(Problem("EQ-NO-ER", (*base, "equations"), {}))
    order = _order(compiled, parsed, base)
    for name in order:
        i, node = parsed[name]
        declared = version.equations[i]
        path = (*base, "equations", i, "expression")
        if not _symbols_ok(compiled, name, node, parsed, path):
            continue
        try:
            declared_unit = parse_unit(declared.unit)
        except UnitError:
            compiled.problems.append(
                Problem(
                    "EQ-UNIT-UNKNOWN", (*base, "equations", i, "unit"), {"value": declared.unit}
                )
            )
            continue
        if name in EMISSION_EQUATIONS and not reduces_to_emissions(declared_unit):
            compiled.problems.append(
                Problem(
                    "EQ-UNIT-MISMATCH",
                    (*base, "equations", i, "unit"),
                    {"name": name, "detail": f"`{declared.unit}` is not an amount of CO2 (tCO2)"},
                )
            )
            continue
        try:
            scaled, unit = _units(node, compiled)
            if unit is not None and unit != declared_unit:
                if not compatible(unit, declared_unit):
                    raise _UnitMismatch(unit, declared_unit, "the result")
                scaled = ex.Scale(scaled, factor(unit, declared_unit))
        except _UnitMismatch as exc:
            compiled.problems.append(
                Problem(
                    "EQ-UNIT-MISMATCH",
                    path,
                    {
                        "name": name,
                        "detail": f"{exc.where}: `{_show(exc.left)}` cannot be combined with "
                        f"`{_show(exc.right)}`",
                    },
                )
            )
            continue
        compiled.units[name] = declared_unit
        compiled.equations.append(
            Equation(name, scaled, declared_unit, i, frozenset(ex.names(node)))
        )
    for rounding in version.rounding:
        compiled.rounding[rounding.quantity] = rounding
    compiled.needed = _needed(compiled)
    compiled.unset_defaults = sorted(
        name
        for name in compiled.needed
        if compiled.parameters[name].kind == "default"
        and compiled.parameters[name].value is None
        and compiled.parameters[name].table is None
    )
    return compiled


def _show(unit: Any) -> str:
    return "a pure number" if unit is None else format(unit, "~")


def _order(compiled: Compiled, parsed: dict[str, tuple[int, ex.Node]], base: tuple) -> list[str]:
    """Equations in dependency order; a cycle is a problem and drops the equations in it."""
    deps = {name: {n for n in ex.names(node) if n in parsed} for name, (_, node) in parsed.items()}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> bool:
        if state.get(name) == 2:
            return True
        if state.get(name) == 1:
            cycle = [*trail[trail.index(name) :], name]
            i = parsed[name][0]
            compiled.problems.append(
                Problem(
                    "EQ-CYCLE", (*base, "equations", i, "expression"), {"cycle": " → ".join(cycle)}
                )
            )
            return False
        state[name] = 1
        ok = all(visit(d, [*trail, name]) for d in sorted(deps[name]))
        state[name] = 2
        if ok:
            order.append(name)
        return ok

    for name in sorted(parsed, key=lambda n: parsed[n][0]):
        visit(name, [])
    return order


def _symbols_ok(
    compiled: Compiled,
    name: str,
    node: ex.Node,
    parsed: dict[str, tuple[int, ex.Node]],
    path: tuple,
) -> bool:
    ok = True
    known_equations = {e.name for e in compiled.equations}
    for n in ex.walk(node):
        if not isinstance(n, ex.Ref | ex.Indexed):
            continue
        parameter = compiled.parameters.get(n.name)
        if parameter is None and n.name not in parsed:
            compiled.problems.append(
                Problem(
                    "EQ-UNKNOWN-SYMBOL",
                    path,
                    {
                        "name": name,
                        "value": n.name,
                        "detail": "neither a parameter nor an equation of this version",
                    },
                )
            )
            ok = False
        elif parameter is None and n.name not in known_equations:
            ok = False  # depends on an equation that failed: reported there
        elif parameter is None and isinstance(n, ex.Indexed):
            compiled.problems.append(
                Problem(
                    "EQ-PER-UNIT",
                    path,
                    {"name": name, "value": n.name, "detail": "an equation is not per unit"},
                )
            )
            ok = False
        elif parameter is not None and parameter.per_unit != isinstance(n, ex.Indexed):
            detail = (
                f"`{n.name}` is per unit: write `{n.name}[i]` inside sum_i( … )"
                if parameter.per_unit
                else f"`{n.name}` is not per unit: write it without [i]"
            )
            compiled.problems.append(
                Problem("EQ-PER-UNIT", path, {"name": name, "value": n.name, "detail": detail})
            )
            ok = False
    return ok


def _units(node: ex.Node, compiled: Compiled) -> tuple[ex.Node, pint.Unit | None]:
    """Rewrite a node with explicit unit conversions; return it with its unit (None: pure
    number that takes the unit of what it is combined with)."""
    if isinstance(node, ex.Num):
        return node, None
    if isinstance(node, ex.Ref | ex.Indexed):
        return node, compiled.units.get(node.name)
    if isinstance(node, ex.SumUnits):
        body, unit = _units(node.body, compiled)
        return ex.SumUnits(body), unit
    if isinstance(node, ex.Neg):
        inner, unit = _units(node.operand, compiled)
        return ex.Neg(inner), unit
    if isinstance(node, ex.BinOp):
        left, lu = _units(node.left, compiled)
        right, ru = _units(node.right, compiled)
        if node.op in "+-":
            (left, right), unit = _align([left, right], [lu, ru], f"`{node.op}`")
            return ex.BinOp(node.op, left, right), unit
        one = parse_unit("dimensionless")
        lu2, ru2 = lu or one, ru or one
        unit = lu2 * ru2 if node.op == "*" else lu2 / ru2
        unit = None if (lu is None and ru is None) else unit
        return ex.BinOp(node.op, left, right), unit
    if isinstance(node, ex.Compare):
        left, lu = _units(node.left, compiled)
        right, ru = _units(node.right, compiled)
        (left, right), _ = _align([left, right], [lu, ru], f"`{node.op}`")
        return ex.Compare(node.op, left, right), None
    if isinstance(node, ex.BoolOp):
        return ex.BoolOp(node.op, tuple(_units(a, compiled)[0] for a in node.args)), None
    if isinstance(node, ex.Not):
        return ex.Not(_units(node.operand, compiled)[0]), None
    if isinstance(node, ex.Call):
        fn = node.function
        if fn == "if":
            cond = _units(node.args[0], compiled)[0]
            pair = [_units(a, compiled) for a in node.args[1:]]
            nodes, unit = _align([p[0] for p in pair], [p[1] for p in pair], "`if`")
            return ex.Call(fn, (cond, *nodes)), unit
        if fn in ("min", "max"):
            pair = [_units(a, compiled) for a in node.args]
            nodes, unit = _align([p[0] for p in pair], [p[1] for p in pair], f"`{fn}`")
            return ex.Call(fn, tuple(nodes)), unit
        first, unit = _units(node.args[0], compiled)
        rest = tuple(_units(a, compiled)[0] for a in node.args[1:])
        return ex.Call(fn, (first, *rest)), unit
    raise TypeError(node)  # pragma: no cover


def _align(nodes: list[ex.Node], units: list[Any], where: str) -> tuple[list[ex.Node], Any]:
    """Bring operands of one dimension to the unit of the first that has one."""
    target = next((u for u in units if u is not None), None)
    out = []
    for node, unit in zip(nodes, units, strict=True):
        if unit is None or target is None or unit == target:
            out.append(node)
        elif compatible(unit, target):
            out.append(ex.Scale(node, factor(unit, target)))
        else:
            raise _UnitMismatch(target, unit, where)
    return out, target


def _needed(compiled: Compiled) -> set[str]:
    by_name = {e.name: e for e in compiled.equations}
    seen: set[str] = set()
    todo = [n for n in EMISSION_EQUATIONS if n in by_name]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in by_name:
            todo.extend(by_name[name].uses)
    return {n for n in seen if n in compiled.parameters}


def _check_patterns(compiled: Compiled, parameter: Any, path: tuple) -> None:
    """Observed patterns of a default-value table (e.g. Case 2 = min(Case 1, 0.533)): checked
    per group of rows, as warnings, because they are observations, not rules."""
    table = parameter.table
    for k, pattern in enumerate(table.patterns):
        try:
            node = ex.parse(pattern.expression)
        except ex.ExpressionError as exc:
            compiled.problems.append(
                Problem(
                    "EQ-SYNTAX",
                    (*path, "patterns", k, "expression"),
                    {"detail": str(exc), "name": parameter.name},
                )
            )
            continue
        groups: dict[str, dict[str, Decimal]] = {}
        for row in table.rows:
            group = row.when.get(pattern.group_by, "")
            scalars = groups.setdefault(group, {})
            for key, value in row.when.items():
                if key != pattern.group_by:
                    scalars[f"{key}_{value}"] = row.value
        for group, scalars in sorted(groups.items()):
            try:
                holds = ex.evaluate(node, ex.Env(scalars, {}, []))
            except (KeyError, ZeroDivisionError, ArithmeticError):
                holds = False
            if not holds:
                compiled.problems.append(
                    Problem(
                        "EQ-TABLE-PATTERN",
                        (*path, "patterns", k),
                        {
                            "name": parameter.name,
                            "group": f"{pattern.group_by} {group}",
                            "pattern": pattern.description,
                        },
                    )
                )
