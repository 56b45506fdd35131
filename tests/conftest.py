"""Shared test options and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff before committing)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with a golden file, or rewrite it under --update-golden."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"golden file {path} missing: run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from golden file {name}"

    return check


@pytest.fixture
def example_root() -> Path:
    return FIXTURES / "example"


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The site of the bundled data, built once per test session (real mkdocs + Pagefind)."""
    from generator.pipeline import build

    out = tmp_path_factory.mktemp("bundled") / "site"
    result = build(ROOT, out)
    assert result.site is not None, [f.as_text() for f in result.validation.findings][:5]
    return out


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    from generator.pipeline import build

    out = tmp_path_factory.mktemp("example") / "site"
    assert build(FIXTURES / "example", out).site is not None
    return out


@pytest.fixture(autouse=True)
def _no_cache_in_source_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run by tests keep no cache unless a test asks for one: a test must never write
    into the repository's own folders (fixtures, data/)."""
    monkeypatch.setenv("JCM_NO_CACHE", "1")
