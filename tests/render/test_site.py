"""The render stage on two cores gives what it gives on one: the same pages and files, in the
same order, and a copy that fails leaves the work to the engine's own process."""

from __future__ import annotations

import os

import pytest

from generator.history import History, read_history
from generator.pipeline import validate_root
from generator.render import site
from generator.render.site import render_site
from generator.synth import synthesize
from tests.conftest import FIXTURES
from tests.render.test_pages import CONFIG

needs_fork = pytest.mark.skipif(not site.can_fork(), reason="no forked copy on this system")


def _both(root, history):
    validation = validate_root(root)
    one = render_site(validation, history, CONFIG, parallel=False)
    two = render_site(validation, history, CONFIG, parallel=True)
    return one, two


@needs_fork
@pytest.mark.parametrize("registry", ["example", "synthetic"])
def test_two_cores_render_what_one_core_renders(tmp_path, registry):
    if registry == "example":
        root, history = FIXTURES / "example", History()
    else:
        root = tmp_path / "registry"
        synthesize(root, 40, seed=11)
        history = read_history(root)
    one, two = _both(root, history)
    assert list(one.pages.items()) == list(two.pages.items())
    assert list(one.files.items()) == list(two.files.items())
    assert any(path.startswith("downloads/spreadsheets/") for path in two.files)


@needs_fork
def test_a_copy_that_dies_leaves_its_share_to_this_process(monkeypatch):
    parent = os.getpid()
    made = site._data_files

    def dies_in_the_copy(*args):
        if os.getpid() != parent:
            os._exit(3)
        return made(*args)

    monkeypatch.setattr(site, "_data_files", dies_in_the_copy)
    one, two = _both(FIXTURES / "example", History())
    assert list(one.files.items()) == list(two.files.items())
    assert list(one.pages.items()) == list(two.pages.items())
    assert all(one.pages.values()) and all(one.files.values())


def test_an_error_in_the_data_files_is_raised_here(monkeypatch):
    def fails(*args):
        raise RuntimeError("a data file could not be made")

    monkeypatch.setattr(site, "_data_files", fails)
    with pytest.raises(RuntimeError, match="could not be made"):
        render_site(validate_root(FIXTURES / "example"), History(), CONFIG, parallel=True)
