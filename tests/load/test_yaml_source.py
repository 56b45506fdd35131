"""The YAML reader: exact decimals, positions, and refusal of everything unsafe or ambiguous."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.load.yaml_source import MAX_DEPTH, parse_yaml


def codes(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [f.code for f in parse_yaml(raw, "x.yaml").findings]


def test_floats_are_exact_decimals_from_their_text():
    parsed = parse_yaml(b"a: 0.1\nb: 1_000.25\nc: 12\nd: -0.533\n", "x.yaml")
    assert parsed.data == {
        "a": Decimal("0.1"),
        "b": Decimal("1000.25"),
        "c": 12,
        "d": Decimal("-0.533"),
    }
    assert isinstance(parsed.data["a"], Decimal)
    # binary floating point would give 0.30000000000000004
    assert parsed.data["a"] * 3 == Decimal("0.3")


def test_dates_and_positions():
    parsed = parse_yaml(b"id: MN003\nperiod:\n  start: 2017-08-26\n  end: 2018-05-31\n", "x.yaml")
    assert parsed.data["period"]["start"] == date(2017, 8, 26)
    assert parsed.locate(("period", "end")) == (4, 8)
    assert parsed.locate_key(("period", "end")) == (4, 3)
    assert parsed.locate(("period", "missing", 3)) == (3, 3)  # nearest written ancestor


def test_list_positions():
    parsed = parse_yaml(b"items:\n  - id: a\n  - id: b\n    type: other\n", "x.yaml")
    assert parsed.locate(("items", 1)) == (3, 5)
    assert parsed.locate(("items", 1, "type")) == (4, 11)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "YAML-EMPTY"),
        ("# only a comment\n", "YAML-EMPTY"),
        ("a: 1\na: 2\n", "YAML-DUPLICATE-KEY"),
        ("a: &x [1]\nb: *x\n", "YAML-ALIAS"),
        ("a: &x {k: 1}\nb:\n  <<: *x\n", "YAML-MERGE-KEY"),
        ("a: !!python/object/apply:os.system [ls]\n", "YAML-TAG"),
        ("a: !custom 1\n", "YAML-TAG"),
        ("a: !!binary aGVsbG8=\n", "YAML-TAG"),
        ("? [a]\n: 1\n", "YAML-COMPLEX-KEY"),
        ("a:\n\tb: 1\n", "YAML-TAB"),
        ("a: [1, 2\n", "YAML-SYNTAX"),
        ("a: 1\n---\nb: 2\n", "YAML-MULTIPLE-DOCUMENTS"),
        ("- 1\n- 2\n", "YAML-NOT-MAPPING"),
        ("just text\n", "YAML-NOT-MAPPING"),
        ("a: 0123\n", "YAML-AMBIGUOUS-NUMBER"),
        ("a: 0x1F\n", "YAML-AMBIGUOUS-NUMBER"),
        ("a: 1:30\n", "YAML-AMBIGUOUS-NUMBER"),
        ("a: .inf\n", "YAML-AMBIGUOUS-NUMBER"),
        ("a: .nan\n", "YAML-AMBIGUOUS-NUMBER"),
        ("a: 2019-02-30\n", "YAML-BAD-DATE"),
    ],
)
def test_refusals(text, code):
    assert code in codes(text)


def test_encoding_problems():
    assert codes("a: 'é'\n".encode("latin-1")) == ["YAML-ENCODING"]
    assert codes("a: 1\n".encode("utf-16")) == ["YAML-ENCODING"]
    assert codes(b"a: 1\x00\n") == ["YAML-ENCODING"]
    # a UTF-8 byte-order mark (Windows editors) is accepted
    assert parse_yaml(b"\xef\xbb\xbfa: 1\n", "x.yaml").data == {"a": 1}


def test_alias_bomb_is_refused_without_expanding():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    parsed = parse_yaml("\n".join(lines).encode(), "bomb.yaml")
    assert [f.code for f in parsed.findings] == ["YAML-ALIAS"]
    assert parsed.data is None


def test_deep_nesting_is_refused():
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert codes(deep) == ["YAML-TOO-DEEP"]
    very_deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert codes(very_deep) == ["YAML-TOO-DEEP"]


def test_yes_no_values_remember_their_text():
    parsed = parse_yaml(b"country: NO\nflag: on\n", "x.yaml")
    assert parsed.data == {"country": False, "flag": True}
    assert parsed.bool_texts[("country",)] == "NO"


def test_scalar_problems_silence_the_schema_for_that_value():
    parsed = parse_yaml(b"a: 0123\nb: 2019-02-30\n", "x.yaml")
    assert parsed.reported == {("a",), ("b",)}
