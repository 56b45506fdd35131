"""axe-core (bundled with axe-playwright-python, run offline): no WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]
    ]


@pytest.mark.parametrize(
    "path", ["/", "/projects/", "/projects/MN003/", "/methodologies/MN_AM003/"]
)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_wcag_21_aa_violation(visit, bundled_url, path, width):
    page = visit(width, 900).goto(bundled_url + path)
    assert violations(page) == []


def test_the_open_search_dialog_is_named_and_clean(visit, bundled_url):
    from tests.browser.test_visitor import search

    page = visit().goto(bundled_url + "/")
    assert search(page, "solar")
    assert violations(page) == []
