"""Publishing: a strict build or nothing; the previous site stays until a new one is whole."""

from __future__ import annotations

import pytest

from generator.publish import PublishError, build_site
from tests.conftest import ROOT


def test_a_broken_anchor_fails_the_build_and_keeps_the_old_site(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous")
    pages = {"index.md": "# Home\n\n[a broken anchor](about.md#no-such-heading)\n"}
    with pytest.raises(PublishError, match="does not contain an anchor"):
        build_site(ROOT, pages, {}, out)
    assert (out / "index.html").read_text() == "previous"
    assert not any(p.name.startswith(".jcm-build-") for p in tmp_path.iterdir())


def test_a_broken_link_fails_the_build(tmp_path):
    with pytest.raises(PublishError, match="not found among documentation files"):
        build_site(ROOT, {"index.md": "[x](projects/NOPE.md)\n"}, {}, tmp_path / "site")


def _interrupt_after(seconds: float):
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return lambda: signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("ask_first", [True, False])
def test_an_interrupted_child_is_reaped_before_the_interrupt_goes_on(monkeypatch, ask_first):
    import subprocess
    import sys

    from generator import publish

    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    def recording(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(publish.subprocess, "Popen", recording)
    # a child that takes its time to end when asked, as the engine does while reaping its copies
    script = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(0.5), sys.exit(143)))\n"
        "time.sleep(60)\n"
    )
    restore = _interrupt_after(0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            publish.run_child([sys.executable, "-c", script], ask_first=ask_first)
    finally:
        restore()
    (child,) = started
    assert child.returncode == (143 if ask_first else -9), "the child ended as it was told"


def test_digests_are_those_of_each_file_whether_or_not_the_copy_gives_its_half(
    tmp_path, monkeypatch
):
    import hashlib

    from generator import publish

    paths = []
    for n in range(7):
        path = tmp_path / f"f{n}"
        path.write_bytes(b"x" * n)
        paths.append(str(path))
    expected = [hashlib.sha256(b"x" * n).hexdigest() for n in range(7)]
    assert publish._digests(paths) == expected

    class Dies:
        def __init__(self, work):
            pass

        def result(self, default=None):
            return default

    monkeypatch.setattr(publish, "Forked", Dies)
    assert publish._digests(paths) == expected
    assert publish._digests([]) == []


def test_the_site_is_hashed_beside_the_indexer_file_for_file(tmp_path):
    import hashlib

    from generator.publish import _Hashing, _published

    site = tmp_path / "site"
    for name in ("index.html", "a/index.html", "a/b/x.json", "pagefind/f/1.pf", "pagefinder.js"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(name.encode())
    expected = {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }
    beside = _Hashing(site, skip="pagefind").result()
    assert "pagefind/f/1.pf" not in beside and "pagefinder.js" in beside
    assert {**beside, **_published(site, "pagefind")} == expected


def test_hashing_stops_when_asked_and_reports_an_error_of_its_own(tmp_path, monkeypatch):
    import threading

    from generator import publish

    site = tmp_path / "site"
    site.mkdir()
    for n in range(50):
        (site / f"{n}.html").write_text("x")
    started, go_on = threading.Event(), threading.Event()
    real = publish._sha256_of

    def slow(path):
        started.set()
        go_on.wait(5)
        return real(path)

    monkeypatch.setattr(publish, "_sha256_of", slow)
    hashing = publish._Hashing(site, skip="pagefind")
    started.wait(5)
    threading.Timer(0.2, go_on.set).start()
    hashing.stop()
    assert len(hashing.digests) < 50, "stopped at its next file"
    try:  # a build run inside a caller's handler still hashes every file
        raise ValueError
    except ValueError:
        monkeypatch.setattr(publish, "_sha256_of", real)
        assert len(publish._Hashing(site, skip="pagefind").result()) == 50

    def fails(path):
        raise PermissionError(path)

    monkeypatch.setattr(publish, "_sha256_of", fails)
    with pytest.raises(PermissionError):
        publish._Hashing(site, skip="pagefind").result()
