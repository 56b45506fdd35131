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
