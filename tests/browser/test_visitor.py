"""What a visitor does: search, filter and sort indexes, look up a serial, on every page kind
with no console error and no request leaving the machine; screenshots for review."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser

PAGE_KINDS = {
    "home": "/",
    "countries-index": "/countries/",
    "country": "/countries/MN/",
    "methodologies-index": "/methodologies/",
    "methodology": "/methodologies/MN_AM003/",
    "projects-index": "/projects/",
    "project": "/projects/MN003/",
    "tpes-index": "/tpes/",
    "tpe": "/tpes/jqa/",
    "decisions-index": "/decisions/",
    "decision": "/decisions/MN/2016-09-29-4th-jc/",
    "issuances": "/issuances/",
    "public-inputs": "/public-inputs/",
    "integrity": "/integrity/",
    "data": "/data/",
    "changelog": "/changelog/",
    "about": "/about/",
    "glossary": "/glossary/",
    "codes": "/reference/codes/",
}


def search(page, query: str) -> list[str]:
    toggle = page.locator("label.md-header__button[for=__search]")
    if toggle.is_visible():  # phone width: the search box opens from the header button
        toggle.click()
    box = page.locator("[data-jcm-search-query]")
    box.click()
    box.fill(query)
    page.wait_for_function(
        "() => document.querySelector('[data-jcm-search-meta]').textContent.match(/matching|No/)"
    )
    return page.locator("[data-jcm-search-results] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MN003", "/projects/MN003/"),  # by id
        ("Darkhan", "/projects/MN004/"),  # by a word of the title
        ("FARMDO", "/projects/MN003/"),  # by a participant's name
        ("Ulaanbaatar", "/projects/MN00"),  # by a place
        ("MN_AM003", "/methodologies/MN_AM003/"),  # a methodology by id
        ("Japan Quality Assurance", "/tpes/jqa/"),  # a TPE
        ("モンゴル", "/countries/MN/"),  # Japanese text
    ],
)
def test_search_finds_the_record_and_opens_it(visit, bundled_url, query, expected):
    v = visit()
    page = v.goto(bundled_url + "/")
    hrefs = search(page, query)
    assert any(expected in (h or "") for h in hrefs[:5]), hrefs[:5]
    target = next(h for h in hrefs if expected in h)
    page.locator(f"[data-jcm-search-results] a[href='{target}']").first.click()
    page.wait_for_load_state("networkidle")
    assert expected in page.url
    assert v.errors == [] and v.outside == []


def rows(page) -> tuple[int, int]:
    root = page.locator(".jcm-index")
    page.wait_for_function("() => document.querySelector('.jcm-index').hasAttribute('data-shown')")
    return int(root.get_attribute("data-shown")), int(root.get_attribute("data-matching"))


def choose(page, label: str, value: str) -> None:
    page.locator(".jcm-index").get_by_label(label, exact=True).select_option(value)


def test_projects_index_filters_and_sorts(visit, bundled_url):
    page = visit().goto(bundled_url + "/projects/")
    shown, matching = rows(page)
    assert (shown, matching) == (50, 155)  # paged: 50 rows of 155 (147 listed + 8 planned)
    choose(page, "Country", "Mongolia")
    assert rows(page) == (7, 7)
    choose(page, "Status", "registered")
    assert rows(page) == (6, 6)
    first = page.locator(".jcm-index tbody tr td a").first
    assert first.text_content() == "MN001"
    # figures as the pages print them: thousands separated; a value not recorded as —
    cells = page.locator(".jcm-index tbody tr td.jcm-num").all_text_contents()
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", c) for c in cells), cells
    assert all(c.strip() for c in page.locator(".jcm-index tbody td").all_text_contents())
    page.get_by_role("button", name="Project").click()  # sort by id, descending
    assert page.locator(".jcm-index tbody tr td a").first.text_content() == "MN006"
    choose(page, "Status", "All")
    choose(page, "Year registered", "2017")
    assert rows(page)[1] == 3  # MN003, MN004 (May) and MN005 (November)


@pytest.mark.parametrize(
    ("path", "label", "value", "expected"),
    [
        ("/decisions/", "Country", "Mongolia", 18),
        ("/methodologies/", "Country", "Mongolia", 4),
        ("/tpes/", "Country", "Viet Nam", 8),
        ("/issuances/", "Registry", "Japan", 16),
    ],
)
def test_other_indexes_filter(visit, bundled_url, path, label, value, expected):
    page = visit().goto(bundled_url + path)
    before = rows(page)[1]
    choose(page, label, value)
    after = rows(page)[1]
    assert after == expected and after < before


def test_a_large_index_is_paged(visit, larger_url):
    page = visit().goto(larger_url + "/projects/")
    assert rows(page) == (50, 300)
    page.get_by_role("button", name="Next").click()
    assert page.locator(".jcm-index tbody tr td a").first.text_content() != "QM001"
    page.get_by_label("Filter the rows by any text").fill("Town 7 ")
    assert rows(page)[1] < 300


def test_serial_number_lookup(visit, larger_url):
    page = visit().goto(larger_url + "/issuances/")
    page.locator("#jcm-serial-registry").select_option("JP")
    page.locator("#jcm-serial-number").fill("1")
    page.get_by_role("button", name="Look up").click()
    result = page.locator(".jcm-serial__result")
    result.get_by_role("link").wait_for()
    assert re.search(r"Serial 1 is in the block 1–\d+", result.text_content())


def test_public_input_windows_are_marked_in_the_browser(visit, bundled_url):
    page = visit().goto(bundled_url + "/public-inputs/")
    states = page.locator(".jcm-window").evaluate_all("s => s.map(x => x.className)")
    assert states and all(re.search(r"jcm-window--(open|closed|upcoming)", s) for s in states)


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_loads_cleanly_at_desktop_and_phone_width(visit, bundled_url, kind):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, name in ((1280, 900, "desktop"), (375, 740, "phone")):
        v = visit(width, height)
        page = v.goto(bundled_url + PAGE_KINDS[kind])
        page.wait_for_timeout(150)
        assert v.errors == [], v.errors
        assert v.outside == [], v.outside
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{kind} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(SHOTS / f"{kind}-{name}.png"), full_page=False)


def test_a_long_list_on_a_record_page_is_paged_from_json(visit, paged_url):
    """At 10,000 projects a country lists thousands: the browser pages them from JSON."""
    v = visit()
    page = v.goto(paged_url + "/countries/XA/")
    tables = page.locator(".jcm-index")
    assert tables.count() >= 2  # its methodologies, projects and decisions
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jcm-index')].every(t => t.hasAttribute('data-shown'))"
    )
    projects = page.locator("#projects ~ .jcm-index").first
    links = projects.locator("tbody a").evaluate_all("a => a.map(x => x.textContent)")
    assert "XA001" in links
    projects.get_by_role("link", name="XA001", exact=True).click()
    page.wait_for_url("**/projects/XA001/")
    assert v.errors == [] and v.outside == []


def test_paged_public_input_windows_are_marked(visit, paged_url):
    page = visit().goto(paged_url + "/public-inputs/")
    rows(page)
    states = page.locator(".jcm-index .jcm-window").evaluate_all("s => s.map(x => x.className)")
    assert states and all(re.search(r"jcm-window--(open|closed|upcoming)", s) for s in states)


def test_a_rule_links_to_its_findings_filtered(visit, paged_url):
    page = visit().goto(paged_url + "/integrity/")
    link = page.locator("a[href^='?code=']").first
    code = link.get_attribute("href").split("=", 1)[1].split("#")[0]
    page.goto(paged_url + f"/integrity/?code={code}#findings", wait_until="networkidle")
    rows(page)
    table = page.locator("#findings ~ .jcm-index").first
    assert table.get_by_label("Code", exact=True).input_value() == code
    codes = table.locator("tbody tr td:first-child").evaluate_all("t => t.map(x => x.textContent)")
    assert codes and set(codes) == {code}
