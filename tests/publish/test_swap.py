"""Staging folders: a build's own, and those a killed build left behind."""

from __future__ import annotations

import os
import subprocess

from generator.publish.swap import OWNER, remove_abandoned, staging_folder


def test_the_folders_of_ended_builds_are_removed_and_running_ones_kept(tmp_path):
    ended = subprocess.Popen(["true"])
    ended.wait()
    left = tmp_path / ".jcm-build-left"
    left.mkdir()
    (left / OWNER).write_text(str(ended.pid))
    running = tmp_path / ".jcm-build-running"
    running.mkdir()
    (running / OWNER).write_text(str(os.getppid()))
    unmarked = tmp_path / ".jcm-build-unmarked"
    unmarked.mkdir()
    mine = staging_folder(tmp_path)
    assert (mine / OWNER).read_text() == str(os.getpid())
    remove_abandoned(tmp_path)
    assert not left.exists()
    assert running.exists() and unmarked.exists() and mine.exists()
