"""Hypothesis: whatever a contributor types, the loader returns findings, never a traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.findings import Finding
from generator.load.paths import classify
from generator.load.records import load_record
from tests.conftest import FIXTURES

EXAMPLE = FIXTURES / "example"
FILES = sorted(p for p in (EXAMPLE / "data").rglob("*.yaml"))
NOISE = st.sampled_from(
    [
        *list(":-[]{}#&*!|>'\"\t\n ,?%@`"),
        "0123",
        "2.0",
        "yes",
        "~",
        "<<: *a",
        "&a",
        "2019-02-30",
        "\x00",
        "é",
    ]
)


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["insert", "delete", "dup", "swap", "indent"]))
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        if action == "insert":
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + data.draw(NOISE) + lines[i][pos:]
        elif action == "delete" and lines[i]:
            pos = data.draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:pos] + lines[i][pos + 1 :]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = " " * data.draw(st.integers(1, 3)) + lines[i]
    return "".join(lines)


def _check(findings: list[Finding]) -> None:
    for f in findings:
        assert f.line >= 1 and f.col >= 1 and f.code and f.message


@given(st.data())
def test_mutated_records_only_give_findings(data):
    path = data.draw(st.sampled_from(FILES))
    rel = path.relative_to(EXAMPLE).as_posix()
    where = classify(rel)
    text = _mutate(path.read_text("utf-8"), data)
    record, findings = load_record(
        where.kind, where.key, rel, text.encode("utf-8", "surrogatepass")
    )
    _check(findings)
    assert record is not None or findings


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)


@given(
    kind_file=st.sampled_from(FILES),
    payload=st.dictionaries(st.text(max_size=12), json_like, max_size=6),
)
def test_random_structures_only_give_findings(kind_file: Path, payload):
    rel = kind_file.relative_to(EXAMPLE).as_posix()
    where = classify(rel)
    text = yaml.safe_dump(payload, allow_unicode=True)
    _record, findings = load_record(where.kind, where.key, rel, text.encode())
    _check(findings)
