"""The bundled dataset (data/) is real, public and valid: no errors, gaps reported as coverage."""

from __future__ import annotations

import pytest

from generator.findings import Severity
from generator.pipeline import validate_root
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bundled():
    return validate_root(ROOT)


def test_bundled_data_has_no_errors(bundled):
    errors = [f.as_text() for f in bundled.findings if f.severity is Severity.ERROR]
    assert errors == []


def test_bundled_data_is_the_official_project_list(bundled):
    projects = [p for p in bundled.registry.projects if "_PIN" not in p]
    assert len(projects) == 147
    registered = [p for p in projects if bundled.state.projects[p].registered]
    assert len(registered) == 94
    statuses = {bundled.registry.projects[p].model.status_as_published for p in projects}
    assert statuses == {"registered", "validation", "registration-request-withdrawn"}


def test_every_record_has_sources_and_gaps_are_incomplete_not_errors(bundled):
    for record in bundled.loaded.all_records():
        assert record.model.sources
    gaps = [f for f in bundled.findings if f.severity is Severity.INCOMPLETE]
    assert gaps, "the public record is incomplete; the registry must say so"


def test_mongolia_issuances_add_up(bundled):
    # project totals printed by jcm.go.jp (harvest §2.1): MN003 44,299; MN004 53,764; MN006 30,312
    totals = {}
    for pid in ("MN003", "MN004", "MN006"):
        acts = bundled.state.projects[pid].notifications
        totals[pid] = sum(a.item.quantity for a in acts)
    assert totals == {"MN003": 44299, "MN004": 53764, "MN006": 30312}
