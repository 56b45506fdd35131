"""Pages built from the hostile corpus open no dialog and contain no injected element, and
searching the hostile text renders it as text."""

from __future__ import annotations

import pytest

from tests.browser.test_visitor import search

pytestmark = pytest.mark.browser

PAGES = [
    "/projects/XA001/",
    "/projects/XA100/",
    "/projects/XA101/",
    "/projects/XA105/",
    "/decisions/XA/2021-04-15-3rd-jc/",
    "/methodologies/XA_AM001/",
    "/countries/XA/",
    "/tpes/example-assurance/",
    "/projects/",
    "/",
]

INJECTED = """() => {
  const bad = [];
  document.querySelectorAll('*').forEach(el => {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') && a.value.includes('HOSTILE')) bad.push(el.tagName + ' ' + a.name);
      if ((a.name === 'href' || a.name === 'src') && /^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.value);
    }
    if (el.id === 'injected') bad.push('#injected');
    if (el.tagName === 'IFRAME') bad.push('iframe');
    if (el.tagName === 'SCRIPT' && el.textContent.includes('HOSTILE')) bad.push('script');
  });
  return bad;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_dialog_and_no_injected_element(visit, hostile_url, path):
    v = visit()
    page = v.goto(hostile_url + path)
    page.wait_for_timeout(300)
    assert v.dialogs == []
    assert page.evaluate(INJECTED) == []
    assert v.outside == []


def test_searching_hostile_text_shows_it_as_text(visit, hostile_url):
    v = visit()
    page = v.goto(hostile_url + "/")
    hrefs = search(page, "HOSTILE")
    assert hrefs
    page.wait_for_timeout(300)
    assert v.dialogs == []
    assert page.evaluate(INJECTED) == []
    results = page.locator("[data-jcm-search-results]").inner_text()
    assert "HOSTILE" in results
