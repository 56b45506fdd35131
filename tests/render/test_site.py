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


def test_the_two_ends_of_a_meeting_take_every_item_once():
    for count in (0, 1, 2, 7):
        for pattern in ("fb", "ffb", "fbb", "f", "b"):
            meeting, taken = site._Meeting(count), []
            ends = [meeting.front if c == "f" else meeting.back for c in pattern]
            while ends:
                ends = [end for end in ends if (i := end()) is not None and not taken.append(i)]
            assert sorted(taken) == list(range(count)), (count, pattern)


class _Racy:
    """A meeting where the two ends race: both take the item `both`, neither the item
    `neither` (as unsynchronised ends may)."""

    def __init__(self, count: int) -> None:
        self.fronts = iter([i for i in range(count // 2 + 1) if i != count // 2 - 1])
        self.backs = iter([j for j in range(count - 1, count // 2 - 1, -1)])

    def front(self):
        return next(self.fronts, None)

    def back(self):
        return next(self.backs, None)

    def close(self):
        pass


@needs_fork
def test_pages_both_ends_take_or_pass_over_are_rendered_once_in_their_place(monkeypatch):
    monkeypatch.setattr(site, "_Meeting", _Racy)
    one, two = _both(FIXTURES / "example", History())
    assert list(one.pages.items()) == list(two.pages.items())
    assert list(one.files.items()) == list(two.files.items())


@needs_fork
def test_a_copy_that_dies_after_taking_pages_leaves_them_to_this_process(monkeypatch):
    parent = os.getpid()
    made = site._project_pages

    def dies_after_taking_two(out, views, pids, left_out=()):
        if os.getpid() != parent:
            taken = iter(pids)
            next(taken), next(taken)
            os._exit(3)
        return made(out, views, pids, left_out)

    monkeypatch.setattr(site, "_project_pages", dies_after_taking_two)
    one, two = _both(FIXTURES / "example", History())
    assert list(one.pages.items()) == list(two.pages.items())
    assert list(one.files.items()) == list(two.files.items())


def test_the_copy_may_give_back_only_project_pages_with_their_files():
    order = ["XA001", "XA002"]
    page, api = site.links.project("XA002"), site._api_path("XA002")
    site._check_taken(site.Rendered({page: "p"}, {api: b"{}"}), order)
    for wrong in [
        site.Rendered({page: "p", "about.md": "x"}, {api: b"{}"}),
        site.Rendered({page: "p"}, {}),
        site.Rendered({page: "p"}, {api: b"{}", "downloads/x.csv": b""}),
    ]:
        with pytest.raises(RuntimeError, match="other pages"):
            site._check_taken(wrong, order)
