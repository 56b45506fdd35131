"""Recalculation properties: monotone in output, and what the engine claims it recomputes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compute import expressions as ex
from generator.compute.methodology import compile_version
from generator.compute.recalc import _run
from generator.load.records import load_registry
from generator.load.tree import WorkingTree
from tests.conftest import FIXTURES
from tests.rules.helpers import find, run_with

_loaded = load_registry(WorkingTree(FIXTURES / "example"))
_version = _loaded.records["methodology"]["XA_AM001"].model.versions[0]
PV = compile_version("XA_AM001@01.0", _version, 0)

energy = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


def er(pv1: Decimal, pv2: Decimal, aux: Decimal) -> Decimal:
    env = ex.Env(
        {"EF_RE": Decimal("0.797"), "EC_aux": aux}, {"EG": {"PV1": pv1, "PV2": pv2}}, ["PV1", "PV2"]
    )
    return _run(PV, env).rounded["ER_p"]


@given(energy, energy, energy, st.decimals(min_value=0, max_value=1000, places=3))
def test_er_is_monotone_in_the_monitored_output(pv1, pv2, extra, aux):
    assert er(pv1, pv2, aux) <= er(pv1 + extra, pv2, aux)


@given(energy, energy)
def test_er_is_rounded_down_to_whole_tonnes_and_never_above_the_exact_value(pv1, pv2):
    env = ex.Env(
        {"EF_RE": Decimal("0.797"), "EC_aux": Decimal(0)},
        {"EG": {"PV1": pv1, "PV2": pv2}},
        ["PV1", "PV2"],
    )
    figures = _run(PV, env)
    exact, rounded = figures.values["ER_p"], figures.rounded["ER_p"]
    assert rounded == rounded.to_integral_value()
    assert 0 <= exact - rounded < 1


REPORT = """project: XA004
period: {{start: 2021-01-01, end: 2021-06-30}}
values:
  - {{parameter: EG, per_unit: {{PV1: {eg}}}, unit: MWh, option: C}}
  - {{parameter: EC_aux, value: {aux}, unit: MWh, option: C}}
claimed: {{reference_emissions: {re}, project_emissions: {pe}, emission_reductions: {er}}}
sources:
  - {{id: F, title: Fictional, url: "https://example.org/mr"}}
"""


@settings(max_examples=15, deadline=None)
@given(energy, st.decimals(min_value=0, max_value=50, places=2))
def test_a_report_the_engine_produced_recomputes_to_itself(tmp_path_factory, eg, aux):
    aux = min(aux, eg)  # a claimed emission reduction is never negative
    env = ex.Env({"EF_RE": Decimal("0.797"), "EC_aux": aux}, {"EG": {"PV1": eg}}, ["PV1"])
    figures = _run(PV, env)
    text = REPORT.format(
        eg=eg,
        aux=aux,
        re=figures.values["RE_p"],
        pe=figures.values["PE_p"],
        er=figures.rounded["ER_p"],
    )
    _root, validation = run_with(
        tmp_path_factory.mktemp("rt"),
        {
            "projects/XA004/monitoring/2021-01-01_2021-06-30.yaml": text,
            # the notification and verification of the original figures do not apply any more
            "decisions/XA/2022-05-20-electronic-decision.yaml": None,
            "projects/XA001/issuances/2022-05-20.yaml": None,
        },
    )
    assert find(validation, "CALC-CLAIMED-MISMATCH") == []
    (chain,) = [c for c in validation.computed.projects["XA004"].periods if c.period.end.month == 6]
    assert chain.recomputed.rounded["ER_p"] == figures.rounded["ER_p"]
