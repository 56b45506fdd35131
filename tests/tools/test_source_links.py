"""`jcm check-links` against a local web server (the test suite never leaves the machine)."""

from __future__ import annotations

import http.server
import shutil
import threading

from generator.cli import main
from tests.conftest import FIXTURES


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_broken_links_are_reported_without_failing(tmp_path, capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    root = tmp_path / "reg"
    shutil.copytree(FIXTURES / "example", root, ignore=shutil.ignore_patterns("*.yaml"))
    (root / "data/countries").mkdir(parents=True, exist_ok=True)
    (root / "data/countries/XA.yaml").write_text(
        "code: XA\nnames: {en: Exampleland}\nwebsite: " + base + "/ok\n"
        "sources:\n  - {id: S, title: Gone, url: '" + base + "/gone'}\n"
    )
    try:
        assert main(["check-links", "--root", str(root), "--timeout", "5"]) == 0
        out = capsys.readouterr().out
        assert "2 checked, 1 broken" in out and f"{base}/gone | HTTP 404" in out
        assert main(["check-links", "--root", str(root), "--strict"]) == 1
    finally:
        server.shutdown()
