"""Work in a forked copy: its value comes back; a failure or death gives the default."""

from __future__ import annotations

import os

from generator.forked import Forked


def test_the_copy_returns_its_value_and_large_ones_too():
    assert Forked(lambda: {"a": 1}).result() == {"a": 1}
    big = Forked(lambda: b"x" * (8 << 20)).result()
    assert big == b"x" * (8 << 20), "more than a pipe holds comes back whole"


def test_the_copy_runs_apart_from_this_process():
    assert Forked(os.getpid).result() != os.getpid()


def test_a_copy_that_fails_or_dies_gives_the_default():
    def fails():
        raise ValueError("no")

    assert Forked(fails).result(default="none") == "none"
    assert Forked(lambda: os._exit(0)).result(default="none") == "none"


def test_a_cancelled_copy_is_reaped():
    copy = Forked(lambda: __import__("time").sleep(60))
    copy.cancel()
    try:
        os.waitpid(copy.pid, os.WNOHANG)
        reaped = False
    except ChildProcessError:
        reaped = True
    assert reaped


def test_stopped_copies_are_gone_before_their_folder_is_removed(tmp_path):
    import shutil
    import time

    from generator import forked

    folder = tmp_path / "staging"
    folder.mkdir()

    def keep_writing(name: str):
        def work():
            n = 0
            while True:
                folder.mkdir(exist_ok=True)
                (folder / f"{name}-{n % 50}.txt").write_text("x")
                n += 1

        return work

    copies = [Forked(keep_writing("a")), Forked(keep_writing("b"))]
    deadline = time.monotonic() + 10
    while len(list(folder.iterdir())) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    forked.stop_copies()
    shutil.rmtree(folder)
    time.sleep(0.2)
    assert not folder.exists(), "no copy wrote after it was stopped"
    assert not forked._live
    for copy in copies:
        assert copy.result(default="none") == "none"
