"""Mutate a copy of the example registry and look for one finding at one place."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from generator.findings import Finding
from generator.pipeline import validate_root
from generator.report.validation import Validation
from tests.conftest import FIXTURES

Edit = str | bytes | Callable[[str], str] | None


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} must occur exactly once"
        return text.replace(old, new)

    return edit


def run_with(tmp_path: Path, edits: dict[str, Edit]) -> tuple[Path, Validation]:
    root = tmp_path / "registry"
    shutil.copytree(FIXTURES / "example", root)
    for rel, change in edits.items():
        path = root / "data" / rel
        if change is None:
            path.unlink()
        elif callable(change):
            path.write_text(change(path.read_text("utf-8")), "utf-8")
        elif isinstance(change, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(change)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change, "utf-8")
    return root, validate_root(root)


def line_of(root: Path, rel: str, marker: str | tuple[str, int]) -> int:
    """The line of the first (or the n-th, for `(text, n)`) line containing the marker."""
    text, nth = (marker, 0) if isinstance(marker, str) else marker
    lines = (root / "data" / rel).read_text("utf-8").splitlines()
    hits = [i for i, line in enumerate(lines, start=1) if text in line]
    assert len(hits) > nth, f"{text!r} not in {rel}"
    return hits[nth]


def find(validation: Validation, code: str) -> list[Finding]:
    return [f for f in validation.findings if f.code == code]
