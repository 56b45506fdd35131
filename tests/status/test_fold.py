"""The fold over the decision log: states before and after each decision, in any order."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.link.registry import link
from generator.load.records import load_registry
from generator.load.tree import WorkingTree
from generator.status.fold import fold
from tests.conftest import FIXTURES
from tests.rules.helpers import run_with

D = date.fromisoformat


@pytest.fixture(scope="module")
def registry():
    return link(load_registry(WorkingTree(FIXTURES / "example")))


@pytest.fixture(scope="module")
def state(registry):
    return fold(registry)


@pytest.mark.parametrize(
    ("version", "day", "status"),
    [
        ("XA_AM001@01.0", "2019-08-05", "not approved"),
        ("XA_AM001@01.0", "2019-08-06", "approved"),  # all four members had affirmed
        ("XA_AM001@01.0", "2019-12-04", "approved"),
        ("XA_AM001@01.0", "2019-12-05", "superseded"),  # ver02.0 approved at the 2nd JC
        ("XA_AM001@01.0", "2024-02-01", "withdrawn"),
        ("XA_AM001@02.0", "2019-12-04", "not approved"),
        ("XA_AM001@02.0", "2019-12-05", "approved"),
    ],
)
def test_methodology_versions(state, version, day, status):
    assert state.versions[version].status_on(D(day)) == status


@pytest.mark.parametrize(
    ("project", "day", "status"),
    [
        ("XA_PIN001", "2019-08-05", "not registered"),
        ("XA_PIN001", "2019-08-06", "planned"),
        ("XA001", "2019-12-04", "not registered"),
        ("XA001", "2019-12-05", "registered"),
        ("XA002", "2019-12-05", "registration request withdrawn"),
        ("XA003", "2021-04-14", "registered"),
        ("XA003", "2021-04-15", "withdrawn"),
    ],
)
def test_project_statuses(state, project, day, status):
    assert state.projects[project].status_on(D(day)) == status


def test_electronic_adoption_is_computed_from_assertions(state):
    adoption = state.adoptions["XA/2019-08-20-electronic-decision"]
    assert (adoption.adopted, adoption.on, adoption.how) == (True, D("2019-08-06"), "all-members")


@pytest.mark.parametrize(
    ("function", "scope", "day", "may"),
    [
        ("validation", 1, "2019-06-09", False),
        ("validation", 1, "2019-06-10", True),
        ("validation", 3, "2020-01-15", False),  # suspended 2019-12-05 to 2020-03-31
        ("validation", 3, "2020-04-01", True),
        ("verification", 3, "2021-04-14", True),
        ("verification", 3, "2021-04-15", False),  # withdrawn for verification in scope 3
        ("validation", 14, "2020-01-01", None),  # function not stated on the published list
        ("validation", 1, "2030-06-10", False),  # after valid_until
    ],
)
def test_tpe_designations(state, function, scope, day, may):
    assert state.tpe_may("example-assurance", "XA", function, scope, D(day))[0] is may


NEW_RULES = """country: XA
date: 2022-01-10
meeting: {ordinal: 5}
items:
  - id: "1"
    type: adopt_rule_document
    document: rules-of-procedure
    version: "02.0"
    parameters: {electronic-decision-days: 10, max-members-per-side: 8}
sources:
  - {id: F, title: Fictional, url: "https://example.org/jc5"}
"""


def test_rule_parameters_switch_when_a_new_version_is_adopted(tmp_path):
    _root, validation = run_with(tmp_path, {"decisions/XA/2022-01-10-5th-jc.yaml": NEW_RULES})
    state = validation.state
    before = state.parameter("XA", "electronic-decision-days", D("2022-01-09"))
    after = state.parameter("XA", "electronic-decision-days", D("2022-01-10"))
    assert (before.value, before.origin) == (20, "XA/2019-06-10-1st-jc#1")
    assert (after.value, after.origin, after.basis) == (10, "XA/2022-01-10-5th-jc#1", "adopted")
    # a parameter the new version does not state: the older value, no longer certain
    chairs = state.parameter("XA", "co-chairs-per-side", D("2022-02-01"))
    assert (chairs.value, chairs.basis) == (1, "unverified")
    # before any adoption, the 2013 draft default applies, as a draft
    early = state.parameter("XA", "pdd-public-inputs-days", D("2019-01-01"))
    assert (early.value, early.origin, early.basis) == (30, "default", "draft")


def _summary(state):
    return (
        sorted(state.effective.items()),
        sorted(
            (k, v.status_on(), v.approved and v.approved.ref) for k, v in state.versions.items()
        ),
        sorted(
            (k, v.status_on(), [a.ref for a in v.notifications]) for k, v in state.projects.items()
        ),
        sorted(dataclasses.astuple(s) for s in state.spans),
        sorted(dataclasses.astuple(s) for s in state.suspensions),
        [a.ref for a in state.acts],
    )


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_any_order_of_the_decisions_gives_the_same_state(rnd):
    registry = link(load_registry(WorkingTree(FIXTURES / "example")))
    expected = _summary(fold(registry))
    decisions = list(registry.decisions.items())
    items = list(registry.items.items())
    rnd.shuffle(decisions)
    rnd.shuffle(items)
    registry.decisions = dict(decisions)
    registry.items = dict(items)
    assert _summary(fold(registry)) == expected
