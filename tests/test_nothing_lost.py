"""Nothing lost, nothing half-published: an interrupted build leaves the old site or the new
one, never a mix; a clean clone builds the same bytes wherever it is checked out."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.pipeline import build
from tests.conftest import FIXTURES, ROOT


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """A registry, its site (old), and the site of a changed registry (new)."""
    base = tmp_path_factory.mktemp("interrupt")
    root = base / "registry"
    shutil.copytree(FIXTURES / "example", root)
    old = base / "old-site"
    assert build(root, old).site is not None
    path = root / "data/projects/XA004/project.yaml"
    path.write_text(path.read_text().replace("at a School (fictional)", "at a College (fictional)"))
    new = base / "new-site"
    assert build(root, new).site is not None
    return root, digests(old), digests(new), old


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("delay", [0.05, 0.6, 1.2])
def test_an_interrupted_build_leaves_the_old_site_or_the_new_one(versions, tmp_path, sig, delay):
    root, old_digests, new_digests, old_site = versions
    out = tmp_path / "site"
    shutil.copytree(old_site, out)
    child = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "--root", str(root), "--out", str(out)],
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".jcm-build-") for p in tmp_path.iterdir()):
        if child.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    time.sleep(delay)
    if child.poll() is None:
        os.kill(child.pid, sig)
    child.wait(timeout=120)
    after = digests(out)
    assert after in (old_digests, new_digests), "a mix of two builds"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".jcm-build-")]
    assert not (tmp_path / "site.old").exists()


def test_a_clean_clone_builds_the_same_bytes_wherever_it_is_checked_out(tmp_path):
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    sites = []
    for name in ("first", "second"):
        clone = tmp_path / name / "checkout"
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "-q", head], check=True)
        if name == "second":  # a working tree that has been worked in: other times, other path
            for path in (clone / "data").rglob("*.yaml"):
                os.utime(path, (1_000_000_000, 1_000_000_000))
        out = tmp_path / name / "site"
        assert build(clone, out).site is not None
        sites.append(digests(out))
    assert sites[0] == sites[1]
    assert '"commit": "' + head in (tmp_path / "first/site/manifest.json").read_text()
