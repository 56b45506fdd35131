"""Figures and field paths as the pages show them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute.expressions import EXACT
from generator.render.views import RUNS_ON, SHOWN_PLACES, Views, field_words


def test_figures_read_as_written():
    assert Views.number(None) == "—"
    assert Views.number(1234567) == "1,234,567"
    assert Views.number(Decimal("1036.596531")) == "1,036.596531"
    assert Views.number(Decimal("840.000")) == "840"
    assert Views.number(Decimal("-0.50")) == "-0.5"
    assert Views.number(Decimal("2.345"), 2) == "2.34"  # quantized half-even, as given


def test_a_decimal_that_runs_on_is_cut_with_an_ellipsis():
    third = EXACT.divide(Decimal(44913), Decimal(13))  # 3454.846153846153846…, 60 digits kept
    assert Views.number(third) == "3,454.846153846153…"
    assert Views.number(Decimal("0." + "1" * RUNS_ON)) == "0." + "1" * RUNS_ON


@given(
    st.integers(0, 30).flatmap(
        lambda places: st.decimals(allow_nan=False, allow_infinity=False, places=places)
    )
)
def test_shown_digits_are_the_value_s_own(value):
    """What a page shows is the value itself, or its leading digits followed by "…"."""
    shown = Views.number(value)
    exact = format(value, ",f")
    if "." in exact:
        exact = exact.rstrip("0").rstrip(".")
    if shown.endswith("…"):
        assert exact.startswith(shown[:-1])
        assert len(shown[:-1].partition(".")[2]) == SHOWN_PLACES
        assert len(exact.partition(".")[2]) > RUNS_ON
    else:
        assert shown == exact
        assert len(shown.partition(".")[2]) <= RUNS_ON


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("date", "date"),
        ("instrument.signed_on", "instrument, signed on"),
        ("location.sites[0].latitude", "location, site 1, latitude"),
        ("items[1].version", "item 2, version"),
        ("related[0]", "related 1"),
        ("participants.partner", "participants, partner"),
        ("validation.tpe", "validation, TPE"),
        ("address", "address"),
        ("grid.loss[2][0]", "grid, loss 3 1"),
        ("contribution_from_japan.description", "contribution from Japan, description"),
        ("signatories[1].name", "signatory 2, name"),
        ("methodologies[0]", "methodology 1"),
        ("items.0.version", "item 1, version"),
        ("a._b", "a, b"),
    ],
)
def test_field_paths_read_as_words(path, words):
    assert field_words(path) == words
    assert field_words(path, capital=True) == words[0].upper() + words[1:]
