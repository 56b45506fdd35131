"""The trees the loader reads: sizes learnt on reading, the same answers from every tree."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator.load.tree import Entry, GitTree, OverlayTree, WorkingTree


@pytest.fixture
def root(tmp_path):
    data = tmp_path / "data" / "projects" / "XX001"
    data.mkdir(parents=True)
    (data / "project.yaml").write_bytes(b"id: XX001\n")
    (data / "big.yaml").write_bytes(b"x" * 100)
    (data / "empty.yaml").write_bytes(b"")
    (tmp_path / "data" / ".gitkeep").write_bytes(b"")
    return tmp_path


def _read_all(tree, limit):
    return {e.path: tree.read_within(e, limit) for e in tree.entries() if not e.symlink}


def test_a_working_tree_reads_within_a_limit_and_tells_the_size(root):
    tree = WorkingTree(root)
    assert [e.path for e in tree.entries()] == [
        "data/projects/XX001/big.yaml",
        "data/projects/XX001/empty.yaml",
        "data/projects/XX001/project.yaml",
    ]
    assert _read_all(tree, 99) == {
        "data/projects/XX001/big.yaml": (None, 100),
        "data/projects/XX001/empty.yaml": (b"", 0),
        "data/projects/XX001/project.yaml": (b"id: XX001\n", 10),
    }
    assert tree.read_within(Entry("data/projects/XX001/big.yaml", None), 100) == (b"x" * 100, 100)
    assert tree.read("data/projects/XX001/big.yaml") == b"x" * 100


def test_a_file_grown_after_its_size_was_taken_is_read_whole(root, monkeypatch):
    path = root / "data/projects/XX001/project.yaml"
    real_fstat = os.fstat

    def stale_fstat(fd):  # the size as it was before the file grew
        found = real_fstat(fd)
        return os.stat_result((*found[:6], 3, *found[7:]))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    assert WorkingTree(root).read_within(Entry(str(path.relative_to(root)), None), 50) == (
        b"id: XX001\n",
        3,
    )


def test_git_and_overlay_trees_read_as_the_working_tree(root):
    for args in (["init", "-q"], ["add", "data"], ["commit", "-qm", "records"]):
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-C", str(root), *args],
            check=True,
        )
    working = _read_all(WorkingTree(root), 99)
    assert _read_all(GitTree(root, "HEAD"), 99) == working
    overlay = OverlayTree(WorkingTree(root), {"data/projects/XX001/new.yaml": b"y" * 120})
    assert _read_all(overlay, 99) == {**working, "data/projects/XX001/new.yaml": (None, 120)}
    assert _read_all(overlay, 120)["data/projects/XX001/new.yaml"] == (b"y" * 120, 120)
