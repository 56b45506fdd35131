"""Search as a visitor meets it, in the real-browser harness (Debian's Chromium driven by
Playwright): the time from typing a first query to its first results on the screen, and every
byte the browser fetched for it. Prints JSON.

`python -m benchmarks.search SITE QUERY...` — each query is typed first in a fresh browser
context, so nothing is cached: it pays for loading Pagefind and the index chunks it needs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve

TYPE_AND_WAIT = """async (query) => {
  const input = document.querySelector('[data-jcm-search-query]');
  const list = document.querySelector('[data-jcm-search-results]');
  list.textContent = '';
  const shown = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (list.querySelector('a')) { observer.disconnect(); resolve(performance.now()); }
    }).observe(list, { childList: true, subtree: true });
  });
  const start = performance.now();
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return (await shown) - start;
}"""


def measure(browser, url: str, query: str, then: str) -> dict:
    """A first query in a fresh context, then another one on the same page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_load_state("networkidle")
    fetched: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: fetched.append((r.url, _size(r))))
    first_ms = page.evaluate(TYPE_AND_WAIT, query)
    page.wait_for_load_state("networkidle")
    meta = page.locator("[data-jcm-search-meta]").text_content()
    first = list(fetched)
    next_ms = page.evaluate(TYPE_AND_WAIT, then)
    context.close()
    return {
        "query": query,
        "matching": meta,
        "first_results_ms": round(first_ms, 1),
        "first_query_requests": len(first),
        "first_query_transfer_bytes": sum(size for _url, size in first),
        "largest_files": [
            {"url": u.split("/pagefind/")[-1], "bytes": b}
            for u, b in sorted(first, key=lambda f: -f[1])[:3]
        ],
        "next_query": then,
        "next_query_ms": round(next_ms, 1),
    }


def _size(request) -> int:
    response = request.response()
    try:
        return len(response.body()) if response else 0
    except Exception:
        return 0


def main(site: Path, queries: list[str]) -> list[dict]:
    """Each query as a first query (fresh context), followed by the next one in the list."""
    from playwright.sync_api import sync_playwright

    url = serve(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            return [
                measure(browser, url, q, queries[(i + 1) % len(queries)])
                for i, q in enumerate(queries)
            ]
        finally:
            browser.close()


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2:]), indent=1))
