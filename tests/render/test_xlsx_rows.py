"""The download workbooks written with `xlsx_rows` are, byte for byte, the ones openpyxl's
write-only mode writes: on three registries' tables and on generated ones."""

from __future__ import annotations

import datetime
import decimal

from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from generator.history import History
from generator.pipeline import validate_root
from generator.render import exports
from generator.render.datasets import Dataset, Field, all_datasets
from generator.render.views import Views
from generator.render.xlsx_rows import sheet_rows
from tests.render.test_pages import CONFIG


def rows_of(dataset: Dataset) -> list[list]:
    names = [f.name for f in dataset.fields]
    return [names] + [
        [exports.safe.cell(v) if isinstance(v, str) else v for v in (r.get(n) for n in names)]
        for r in dataset.rows
    ]


def by_openpyxl(dataset: Dataset) -> bytes:
    """The workbook as openpyxl alone writes it (what `to_xlsx` did before)."""
    return exports._openpyxl_xlsx(dataset.name, rows_of(dataset))


def test_every_table_of_three_registries_is_the_same_workbook(tmp_path):
    from generator.synth import synthesize
    from tests.conftest import ROOT

    synthetic = tmp_path / "registry"
    synthesize(synthetic, 30, seed=3)
    compared = 0
    for root in (ROOT / "tests/fixtures/example", synthetic, ROOT):
        views = Views(validate_root(root, None), History(), CONFIG)
        for dataset in all_datasets(views):
            assert exports.to_xlsx(dataset) == by_openpyxl(dataset), (root.name, dataset.name)
            compared += sheet_rows(rows_of(dataset)) is not None and len(dataset.rows) > 0
    assert compared >= 20  # tables with rows that took the fast way


_PLAIN = st.one_of(
    st.none(),
    st.text(max_size=12).filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text)),
    st.sampled_from(["", " ", " a", "a ", "=", "=1", "a&b<c>d", "\t x\n", "é—", "x" * 32767]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.dates(min_value=datetime.date(1899, 12, 1), max_value=datetime.date(2100, 1, 1)),
)
_OTHER = st.one_of(
    st.sampled_from(["#N/A", "\x01", "x" * 32768, decimal.Decimal("NaN"), decimal.Decimal("-Inf")]),
    st.datetimes(min_value=datetime.datetime(1950, 1, 1)),
    st.floats(),
)


def generated(rows: list[list]) -> Dataset:
    return Dataset(
        name="generated",
        title="Generated",
        description="",
        fields=[Field(n, "string", "") for n in ("a", "b", "c")],
        rows=[dict(zip(("a", "b", "c"), values, strict=True)) for values in rows],
    )


@given(st.lists(st.lists(_PLAIN, min_size=3, max_size=3), max_size=6))
@example([["a&b<c>d", " a", ""], ["a ", "\t x\n", "=1"], [None, None, None], ["é—", 10**17, True]])
def test_any_plain_table_is_the_same_workbook(rows):
    dataset = generated(rows)
    assert sheet_rows(rows_of(dataset)) is not None
    assert exports.to_xlsx(dataset) == by_openpyxl(dataset)


@given(st.lists(st.lists(_PLAIN | _OTHER, min_size=3, max_size=3), max_size=6))
@example([[decimal.Decimal("1E+400"), decimal.Decimal("-1E+309"), "x\ud800"]])
def test_any_table_is_the_same_workbook(rows):
    dataset = generated(rows)
    try:
        expected = by_openpyxl(dataset)
    except Exception as error:  # openpyxl refuses the value: so must the fast path
        try:
            exports.to_xlsx(dataset)
        except Exception as again:
            assert type(again) is type(error)
            return
        raise AssertionError(f"openpyxl refused, xlsx_rows did not: {error!r}") from None
    assert exports.to_xlsx(dataset) == expected


def test_plain_values_take_the_fast_way_and_others_do_not():
    plain = sheet_rows([["a", 1, True], [decimal.Decimal("0.5"), datetime.date(2020, 1, 1), None]])
    assert plain is not None and plain.has_dates
    assert '<c r="B2" s="1" t="n"><v>43831</v></c>' in plain.xml
    for other in (
        "=SUM(A1)",
        "#N/A",
        "\x07",
        1.5,
        datetime.datetime(2020, 1, 1),
        decimal.Decimal("NaN"),
    ):
        assert sheet_rows([["a"], [other]]) is None, other
