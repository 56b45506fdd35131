"""Real-browser harness: Debian's Chromium (or JCM_CHROMIUM) driven by Playwright, the sites
served on 127.0.0.1, every request that would leave the machine blocked and recorded."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import ROOT

SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def chromium_path() -> str:
    path = os.environ.get("JCM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(path).exists(), (
        "Chromium is needed for the browser tests: scripts/install-system-packages installs "
        "Debian's chromium; on other machines set JCM_CHROMIUM to a Chromium executable"
    )
    return path


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path) -> str:
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def bundled_url(bundled_site) -> str:
    return serve(bundled_site)


@pytest.fixture(scope="session")
def larger_url(tmp_path_factory) -> str:
    """A synthetic registry of about 300 projects, built once per session."""
    from generator.pipeline import build
    from generator.tools.synth import synthesize

    root = tmp_path_factory.mktemp("larger") / "registry"
    synthesize(root, 300, seed=2)
    out = root.parent / "site"
    assert build(root, out).site is not None
    return serve(out)


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory) -> str:
    from generator.pipeline import build
    from tests.hostile.corpus import build_registry

    root = build_registry(tmp_path_factory.mktemp("hostile-browser") / "registry")
    out = root.parent / "site"
    assert build(root, out).site is not None
    return serve(out)


@pytest.fixture(scope="session")
def paged_url(tmp_path_factory) -> str:
    """The fictional example with every list paged from JSON, as at 10,000 projects."""
    from generator.pipeline import build
    from generator.render import site

    root = tmp_path_factory.mktemp("paged") / "registry"
    shutil.copytree(ROOT / "tests/fixtures/example", root)
    out = root.parent / "site"
    saved = site.INLINE_ROWS
    site.INLINE_ROWS = 0
    try:
        assert build(root, out).site is not None
    finally:
        site.INLINE_ROWS = saved
    return serve(out)


class Visit:
    """A page in a fresh context: console errors, outside requests and dialogs recorded."""

    def __init__(self, browser, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", None):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, url: str):
        self.page.goto(url, wait_until="networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    made: list[Visit] = []

    def open_(width: int = 1280, height: int = 900) -> Visit:
        v = Visit(browser, width, height)
        made.append(v)
        return v

    yield open_
    for v in made:
        v.close()
