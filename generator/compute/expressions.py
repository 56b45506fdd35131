"""The registry's expression grammar: parse, evaluate exactly, and write as an Excel formula.

One small grammar for every methodology equation (documented on the site):

    numbers        0.797   1000
    names          EF_RE   RE_p          (a parameter, or another equation of the version)
    per unit       EG[i]                 (only inside a sum over units)
    sum over units sum_i( EG[i] * EF_RE[i] )      also written Σ_i( … )
    arithmetic     + - * / and parentheses
    functions      min(a, b, …)  max(a, b, …)  abs(x)  if(condition, then, else)
                   round_down(x, digits)  round_up(x, digits)  round_half_up(x, digits)
    conditions     <  <=  >  >=  ==  !=   and   or   not

Parsing uses a generated LALR parser (lark); evaluation walks the tree with exact decimals and
never calls `eval`. The same tree is written out as a live Excel formula for the methodology
spreadsheet, so the engine and the spreadsheet compute the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal, localcontext
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedInput

GRAMMAR = r"""
?start: expr
?expr: or_test
?or_test: and_test (_OR and_test)*
?and_test: not_test (_AND not_test)*
?not_test: _NOT not_test -> not_
         | comparison
?comparison: arith (COMP arith)?
?arith: term (ADDOP term)*
?term: factor (MULOP factor)*
?factor: "-" factor -> neg
       | "+" factor
       | atom
?atom: NUMBER -> number
     | NAME "[" _I "]" -> indexed
     | SUM "(" expr ")" -> sum_units
     | NAME "(" [expr ("," expr)*] ")" -> call
     | NAME -> ref
     | "(" expr ")"

SUM.2: "sum_i" | "Σ_i"
_OR.2: "or"
_AND.2: "and"
_NOT.2: "not"
_I.2: "i"
COMP: "<=" | ">=" | "==" | "!=" | "<" | ">"
ADDOP: "+" | "-"
MULOP: "*" | "/"
NAME: /[A-Za-z][A-Za-z0-9_]*/
NUMBER: /[0-9]+(\.[0-9]+)?/
%import common.WS
%ignore WS
"""

FUNCTIONS = {
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "if": (3, 3),
    "round_down": (2, 2),
    "round_up": (2, 2),
    "round_half_up": (2, 2),
}

EXACT = Context(prec=60)
"""Arithmetic context: far more digits than any figure needs; nothing is rounded on the way."""


class ExpressionError(ValueError):
    """An expression that cannot be parsed or is not well formed; `column` is 1-based."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.column = column


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    name: str
    column: int = 0


@dataclass(frozen=True)
class Indexed:
    name: str
    column: int = 0


@dataclass(frozen=True)
class SumUnits:
    body: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class BoolOp:
    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Scale:
    """A unit conversion inserted by the unit check: `operand × factor`."""

    operand: Node
    factor: Decimal


Node = Num | Ref | Indexed | SumUnits | Call | BinOp | Neg | Compare | BoolOp | Not | Scale


class _Build(Transformer):
    def number(self, items: list[Token]) -> Num:
        return Num(Decimal(str(items[0])))

    def ref(self, items: list[Token]) -> Ref:
        return Ref(str(items[0]), items[0].column or 0)

    def indexed(self, items: list[Token]) -> Indexed:
        return Indexed(str(items[0]), items[0].column or 0)

    def sum_units(self, items: list[Any]) -> SumUnits:
        return SumUnits(items[1])

    def call(self, items: list[Any]) -> Call:
        name = items[0]
        args = tuple(a for a in items[1:] if a is not None)
        if str(name) not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function `{name}` (known: {', '.join(sorted(FUNCTIONS))})",
                name.column or 1,
            )
        low, high = FUNCTIONS[str(name)]
        if len(args) < low or (high is not None and len(args) > high):
            raise ExpressionError(
                f"`{name}` takes {low}{'' if high == low else '+'} arguments", name.column or 1
            )
        return Call(str(name), args)

    def neg(self, items: list[Any]) -> Neg:
        return Neg(items[0])

    def not_(self, items: list[Any]) -> Not:
        return Not(items[0])

    def _fold(self, items: list[Any]) -> Node:
        node = items[0]
        for op, right in zip(items[1::2], items[2::2], strict=True):
            node = BinOp(str(op), node, right)
        return node

    arith = _fold
    term = _fold

    def comparison(self, items: list[Any]) -> Compare:
        return Compare(str(items[1]), items[0], items[2])

    def or_test(self, items: list[Any]) -> BoolOp:
        return BoolOp("or", tuple(items))

    def and_test(self, items: list[Any]) -> BoolOp:
        return BoolOp("and", tuple(items))


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


@cache
def parse(text: str) -> Node:
    """Parse an expression (cached: a methodology's equations are parsed once)."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise ExpressionError(_describe(exc, text), exc.column or 1) from None
    try:
        node = _Build().transform(tree)
    except Exception as exc:  # lark wraps errors raised inside the transformer
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, ExpressionError):
            raise inner from None
        raise
    _check_structure(node, inside_sum=False)
    return node


def _describe(exc: UnexpectedInput, text: str) -> str:
    column = exc.column or 1
    near = text[max(0, column - 1) : column + 9] or "the end"
    return f"the expression cannot be read at column {column} (near `{near}`)"


def _check_structure(node: Node, inside_sum: bool) -> None:
    if isinstance(node, Indexed) and not inside_sum:
        raise ExpressionError(
            f"`{node.name}[i]` is per unit: use it inside sum_i( … )", node.column or 1
        )
    if isinstance(node, SumUnits):
        if inside_sum:
            raise ExpressionError("sums over units cannot be nested")
        _check_structure(node.body, inside_sum=True)
        return
    for child in children(node):
        _check_structure(child, inside_sum)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, SumUnits):
        return (node.body,)
    if isinstance(node, Call | BoolOp):
        return node.args
    if isinstance(node, BinOp | Compare):
        return (node.left, node.right)
    if isinstance(node, Neg | Not | Scale):
        return (node.operand,)
    return ()


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in children(node):
        yield from walk(child)


def names(node: Node) -> set[str]:
    """Every name an expression uses (scalars and per-unit)."""
    return {n.name for n in walk(node) if isinstance(n, Ref | Indexed)}


# ---------------------------------------------------------------------------------------------
# Exact evaluation


@dataclass
class Env:
    """What an expression is evaluated against."""

    scalars: dict[str, Decimal]
    vectors: dict[str, dict[str, Decimal]]
    units: list[str]


_ROUNDING = {"round_down": ROUND_DOWN, "round_up": ROUND_UP, "round_half_up": ROUND_HALF_UP}


def round_to(value: Decimal, digits: int, method: str) -> Decimal:
    """Round like the spreadsheet functions: down/up are toward/away from zero (ROUNDDOWN,
    ROUNDUP), half-up is half away from zero (ROUND)."""
    quantum = Decimal(1).scaleb(-digits)
    return value.quantize(quantum, rounding=_ROUNDING[method])


def evaluate(node: Node, env: Env, unit: str | None = None) -> Any:
    with localcontext(EXACT):
        return _eval(node, env, unit)


def _eval(node: Node, env: Env, unit: str | None) -> Any:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return env.scalars[node.name]
    if isinstance(node, Indexed):
        return env.vectors[node.name][unit]  # type: ignore[index]
    if isinstance(node, SumUnits):
        return sum((_eval(node.body, env, u) for u in env.units), Decimal(0))
    if isinstance(node, Scale):
        return _eval(node.operand, env, unit) * node.factor
    if isinstance(node, Neg):
        return -_eval(node.operand, env, unit)
    if isinstance(node, BinOp):
        left, right = _eval(node.left, env, unit), _eval(node.right, env, unit)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if right == 0:
            raise ZeroDivisionError("division by zero")
        return left / right
    if isinstance(node, Compare):
        left, right = _eval(node.left, env, unit), _eval(node.right, env, unit)
        return {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
            "==": left == right,
            "!=": left != right,
        }[node.op]
    if isinstance(node, BoolOp):
        values = [_eval(a, env, unit) for a in node.args]
        return all(values) if node.op == "and" else any(values)
    if isinstance(node, Not):
        return not _eval(node.operand, env, unit)
    if isinstance(node, Call):
        fn = node.function
        if fn == "if":
            cond = _eval(node.args[0], env, unit)
            return _eval(node.args[1] if cond else node.args[2], env, unit)
        args = [_eval(a, env, unit) for a in node.args]
        if fn == "min":
            return min(args)
        if fn == "max":
            return max(args)
        if fn == "abs":
            return abs(args[0])
        return round_to(args[0], int(args[1]), fn)
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Excel


CellRef = Callable[[str, bool], str]
"""(name, per unit?) → the cell (or range) holding that value in the workbook."""
SumRef = Callable[[Node], str]
"""A sum over units → the range of the helper column that holds its body per unit."""

_EXCEL_FUNCTIONS = {
    "min": "MIN",
    "max": "MAX",
    "abs": "ABS",
    "if": "IF",
    "round_down": "ROUNDDOWN",
    "round_up": "ROUNDUP",
    "round_half_up": "ROUND",
}
_EXCEL_COMPARE = {"==": "=", "!=": "<>"}
_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "not": 3,
    "compare": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "neg": 7,
    "atom": 9,
}


def to_excel(node: Node, cell: CellRef, sum_range: SumRef) -> str:
    """The expression as an Excel formula body (without the leading `=`)."""
    return _xl(node, cell, sum_range)[0]


def _xl(node: Node, cell: CellRef, sum_range: SumRef) -> tuple[str, int]:
    def wrap(child: Node, minimum: int) -> str:
        text, prec = _xl(child, cell, sum_range)
        return f"({text})" if prec < minimum else text

    if isinstance(node, Num):
        return format(node.value, "f"), _PRECEDENCE["atom"]
    if isinstance(node, Ref):
        return cell(node.name, False), _PRECEDENCE["atom"]
    if isinstance(node, Indexed):
        return cell(node.name, True), _PRECEDENCE["atom"]
    if isinstance(node, SumUnits):
        return f"SUM({sum_range(node)})", _PRECEDENCE["atom"]
    if isinstance(node, Scale):
        return f"{wrap(node.operand, 6)}*{format(node.factor, 'f')}", _PRECEDENCE["*"]
    if isinstance(node, Neg):
        return f"-{wrap(node.operand, 7)}", _PRECEDENCE["neg"]
    if isinstance(node, BinOp):
        prec = _PRECEDENCE[node.op]
        right_min = prec + 1 if node.op in "-/" else prec
        return f"{wrap(node.left, prec)}{node.op}{wrap(node.right, right_min)}", prec
    if isinstance(node, Compare):
        op = _EXCEL_COMPARE.get(node.op, node.op)
        return f"{wrap(node.left, 5)}{op}{wrap(node.right, 5)}", _PRECEDENCE["compare"]
    if isinstance(node, BoolOp):
        inner = ",".join(_xl(a, cell, sum_range)[0] for a in node.args)
        return f"{node.op.upper()}({inner})", _PRECEDENCE["atom"]
    if isinstance(node, Not):
        return f"NOT({_xl(node.operand, cell, sum_range)[0]})", _PRECEDENCE["atom"]
    if isinstance(node, Call):
        inner = ",".join(_xl(a, cell, sum_range)[0] for a in node.args)
        return f"{_EXCEL_FUNCTIONS[node.function]}({inner})", _PRECEDENCE["atom"]
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover
