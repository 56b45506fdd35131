"""Build, fill and read methodology workbooks in tests."""

from __future__ import annotations

from functools import cache

from generator.pipeline import validate_root
from generator.render.workbook import Target, build_workbook, target_for, workbook_bytes
from generator.report.validation import Validation
from tests.conftest import FIXTURES, ROOT


@cache
def example() -> Validation:
    return validate_root(FIXTURES / "example")


@cache
def bundled() -> Validation:
    return validate_root(ROOT)


def workbook(
    validation: Validation, key: str, project: str | None = None, target: Target | None = None
) -> bytes:
    compiled = validation.computed.versions[key]
    if target is None:
        target = target_for(validation.registry.projects[project], key) if project else Target()
    return workbook_bytes(build_workbook(compiled, key.split("@")[0], target))
