"""The expression grammar: parsing, exact evaluation, Excel formulas."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute import expressions as ex

D = Decimal


def run(text: str, scalars=None, vectors=None, units=None):
    return ex.evaluate(ex.parse(text), ex.Env(scalars or {}, vectors or {}, units or []))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),
        ("12 / 4 / 3", D(1)),
        ("-2 * 3", D(-6)),
        ("min(3, 1.5, 2)", D("1.5")),
        ("max(3, 1.5, 2)", D(3)),
        ("abs(-0.25)", D("0.25")),
        ("if(2 > 1 and not 1 == 2, 10, 20)", D(10)),
        ("if(2 < 1 or 1 != 1, 10, 20)", D(20)),
        ("round_down(2.99, 0)", D(2)),
        ("round_down(-2.99, 0)", D(-2)),
        ("round_up(2.01, 0)", D(3)),
        ("round_half_up(2.5, 0)", D(3)),
        ("round_half_up(2.345, 2)", D("2.35")),
    ],
)
def test_arithmetic(text, value):
    assert run(text) == value


def test_sums_over_units_and_both_spellings():
    vectors = {"EG": {"a": D("1.5"), "b": D("2.25")}}
    assert run("sum_i(EG[i] * F)", {"F": D(2)}, vectors, ["a", "b"]) == D("7.5")
    assert run("Σ_i(EG[i])", {}, vectors, ["a", "b"]) == D("3.75")


def test_exact_where_binary_floating_point_gives_the_wrong_integer():
    # 4.35 MWh × 100 tCO2/MWh is 435 t; binary floating point makes it 434.99999999999994.
    assert math.floor(4.35 * 100) == 434
    value = run("EG * EF", {"EG": D("4.35"), "EF": D(100)})
    assert ex.round_to(value, 0, "round_down") == D(435)
    # and through a sum over units: 0.1 + 0.2 is exactly 0.3
    assert run("sum_i(x[i]) * 10", {}, {"x": {"a": D("0.1"), "b": D("0.2")}}, ["a", "b"]) == D(3)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("EG[i] * 2", "inside sum_i"),
        ("sum_i(sum_i(x[i]))", "nested"),
        ("foo(1)", "unknown function"),
        ("min()", "takes"),
        ("round_down(1)", "takes"),
        ("a +* b", "column 4"),
        ("import os", "cannot be read"),
        ("__import__('os')", "cannot be read"),
        ("a.b", "cannot be read"),
        ("", "cannot be read"),
    ],
)
def test_refusals(text, fragment):
    with pytest.raises(ex.ExpressionError, match=fragment):
        ex.parse(text)


def test_excel_formulas():
    def cell(name, per_unit):
        return f"{name}_row" if per_unit else name

    def sums(node):
        return "Calc!D5:D7"

    cases = {
        "RE_p - PE_p": "RE_p-PE_p",
        "a - (b - c)": "a-(b-c)",
        "a / (b * c)": "a/(b*c)",
        "(a + b) * c": "(a+b)*c",
        "sum_i(EG[i] * EF[i]) / 1000": "SUM(Calc!D5:D7)/1000",
        "if(a >= 2 and not b == 1, min(a, 0.533), max(a, b))": "IF(AND(a>=2,NOT(b=1)),MIN(a,0.533),MAX(a,b))",
        "round_down(x, 0)": "ROUNDDOWN(x,0)",
        "round_half_up(x, 2)": "ROUND(x,2)",
    }
    for text, formula in cases.items():
        assert ex.to_excel(ex.parse(text), cell, sums) == formula


names = st.sampled_from(["a", "b", "c"])
leaf = st.one_of(names.map(ex.Ref), st.integers(0, 50).map(lambda n: ex.Num(D(n))))
tree = st.recursive(
    leaf,
    lambda kids: st.one_of(
        st.tuples(st.sampled_from("+-*"), kids, kids).map(lambda t: ex.BinOp(*t)),
        kids.map(ex.Neg),
        st.lists(kids, min_size=1, max_size=3).map(lambda a: ex.Call("max", tuple(a))),
    ),
    max_leaves=12,
)


def _text(node) -> str:
    if isinstance(node, ex.Num):
        return str(node.value)
    if isinstance(node, ex.Ref):
        return node.name
    if isinstance(node, ex.Neg):
        return f"(-{_text(node.operand)})"
    if isinstance(node, ex.Call):
        return f"max({', '.join(_text(a) for a in node.args)})"
    return f"({_text(node.left)} {node.op} {_text(node.right)})"


@given(tree, st.integers(-20, 20), st.integers(-20, 20), st.integers(-20, 20))
def test_parse_evaluate_agrees_with_the_tree(node, a, b, c):
    env = ex.Env({"a": D(a), "b": D(b), "c": D(c)}, {}, [])
    assert ex.evaluate(ex.parse(_text(node)), env) == ex.evaluate(node, env)
