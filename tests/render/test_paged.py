"""Lists that grow with the registry are paged in the browser from JSON, so that no page grows;
short ones stay written into the page. The changelog lists the latest changes only."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

import pytest

from generator.load.history import Commit, History
from generator.pipeline import validate_root
from generator.render import site
from generator.render.site import render_site
from tests.conftest import FIXTURES
from tests.render.test_pages import CONFIG


@pytest.fixture(scope="module")
def example():
    return validate_root(FIXTURES / "example")


def rows_of(out, name: str) -> list[dict]:
    return json.loads(out.files[f"api/v1/lists/{name}.json"])["rows"]


def test_short_lists_are_written_into_the_page(example):
    out = render_site(example, History(), CONFIG)
    assert "<th>Project</th>\n<th>Title</th>\n<th>Status</th>" in out.pages["countries/XA.md"].body
    assert not [f for f in out.files if f.startswith("api/v1/lists/")]


def test_long_lists_are_paged_from_json(example, monkeypatch):
    monkeypatch.setattr(site, "INLINE_ROWS", 1)
    out = render_site(example, History(), CONFIG)
    country = out.pages["countries/XA.md"].body
    assert "<th>Project</th>" not in country
    assert 'class="jcm-index"' in country
    assert "api/v1/lists/countries/XA/projects.json" in country
    projects = rows_of(out, "countries/XA/projects")
    assert [r["id"] for r in projects] == sorted(
        p for p in example.registry.projects if p[:2] == "XA"
    )
    assert all(r["href"] == f"projects/{r['id']}/" for r in projects)
    assert {r["status"] for r in projects} >= {"registered"}
    decisions = rows_of(out, "countries/XA/decisions")
    assert len(decisions) == len(example.registry.decisions_of("XA"))
    applying = rows_of(out, "methodologies/XA_AM001/projects")
    assert applying and all(r["version"].startswith("Ver") for r in applying)
    assert rows_of(out, "tpes/example-assurance/projects")
    windows = rows_of(out, "public-inputs")
    assert windows and all({"start", "end", "href", "label"} <= set(r) for r in windows)
    page = html.unescape(out.pages["public-inputs/index.md"].body)
    assert '"key": "now", "kind": "window"' in page


def test_long_lists_of_findings_point_to_one_paged_table(example, monkeypatch):
    monkeypatch.setattr(site, "INLINE_ROWS", 0)
    out = render_site(example, History(), CONFIG)
    page = out.pages["integrity/index.md"].body
    assert '<h2 id="findings">Findings' in page
    assert '<a href="?code=' in page
    rows = rows_of(out, "integrity/findings")
    assert {r["code"] for r in rows} == {f.code for f in example.findings}


def test_the_changelog_lists_the_latest_changes_and_keeps_all_in_json(example, monkeypatch):
    monkeypatch.setattr(site, "CHANGELOG_COMMITS", 3)
    monkeypatch.setattr(site, "CHANGELOG_FILES", 2)
    commits = [
        Commit(
            f"{i:040x}",
            datetime(2024, 1, 1 + i, tzinfo=UTC),
            "Secretariat",
            f"Change {i}",
            tuple(f"data/projects/XA00{k}/project.yaml" for k in range(1, 5)),
        )
        for i in range(5, 0, -1)
    ]
    history = History(head=commits[0], commits=commits)
    out = render_site(example, history, CONFIG)
    page = out.pages["changelog/index.md"].body
    assert page.count("<h2 ") == 3
    assert "The latest 3 of 5 changes" in page
    assert "… and 2 more files" in page
    listed = json.loads(out.files["api/v1/changelog.json"])["commits"]
    assert [c["subject"] for c in listed] == [f"Change {i}" for i in range(5, 0, -1)]
    assert all(len(c["files"]) == 4 for c in listed)
