"""Data files made beside the site engine: the same site, whether or not a copy makes them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from generator import beside, forked
from generator.history import read_history
from generator.pipeline import build, validate_root
from generator.publish import PublishError, build_site, site_config
from generator.render import site as render
from generator.render.site import DataFiles, render_site
from tests.conftest import FIXTURES
from tests.conftest import ROOT as REPOSITORY


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def example():
    root = FIXTURES / "example"
    return root, validate_root(root), read_history(root), site_config(root)


def _build(out, later: bool, monkeypatch):
    """The pipeline's build, with the data files made beside the engine or (not `later`) in
    the render stage."""
    real = render.render_site

    def rendering(*args, **kwargs):
        return real(*args, **{**kwargs, "later": later})

    monkeypatch.setattr(render, "render_site", rendering)
    built = build(FIXTURES / "example", out).site
    monkeypatch.setattr(render, "render_site", real)
    return built


@pytest.mark.slow
def test_the_site_is_the_same_with_the_data_files_made_beside_the_engine(tmp_path, monkeypatch):
    started = []
    real_init = beside.Beside.__init__

    def counted(self, later, folder):
        started.append(later.paths)
        real_init(self, later, folder)

    monkeypatch.setattr(beside.Beside, "__init__", counted)
    made_in_render = digests(_build(tmp_path / "render", False, monkeypatch))
    assert started == []
    assert "downloads/projects.csv" in made_in_render and "feeds/decisions.xml" in made_in_render
    assert digests(_build(tmp_path / "beside", True, monkeypatch)) == made_in_render
    assert len(started) == 1 and "downloads/projects.csv" in started[0]

    class Dies:  # a copy that fails: the build makes the files itself
        def __init__(self, work):
            pass

        def result(self, default=None):
            return default

        def cancel(self):
            pass

    monkeypatch.setattr(beside, "Forked", Dies)
    assert digests(_build(tmp_path / "no-copy", True, monkeypatch)) == made_in_render
    later = _made_by(("downloads/x.csv",))
    made = beside.Beside(later, tmp_path / "folder").move_into(tmp_path / "site-x")
    assert (tmp_path / "site-x/downloads/x.csv").read_bytes().endswith(str(os.getpid()).encode())
    assert list(made) == ["downloads/x.csv"], "without a copy, this process made them"


def test_the_later_files_are_those_the_render_stage_makes(example):
    _root, validation, history, config = example
    eager = render_site(validation, history, config, parallel=False)
    deferred = render_site(validation, history, config, parallel=False, later=True)
    assert deferred.later is not None
    made = deferred.later.make()
    assert list(made) == list(deferred.later.paths)
    assert {**made, **deferred.files} == eager.files
    assert deferred.pages == eager.pages


def test_a_data_file_the_paths_do_not_name_is_a_generator_bug(example, monkeypatch):
    _root, validation, history, config = example
    deferred = render_site(validation, history, config, parallel=False, later=True)
    real = render._data_file_paths
    monkeypatch.setattr(render, "_data_file_paths", lambda *a: real(*a)[1:])
    with pytest.raises(RuntimeError, match="not those named"):
        deferred.later.make()


def _made_by(paths):
    """Data files whose bytes tell which process made them."""
    return DataFiles(paths, lambda: {p: f"{p} made by {os.getpid()}".encode() for p in paths})


def test_the_engine_links_to_the_files_made_beside_and_writes_none_of_them(
    example, tmp_path, monkeypatch
):
    root, validation, history, config = example
    rendered = render_site(validation, history, config, later=True)
    paths = rendered.later.paths
    assert "downloads/projects.csv" in paths
    seen_before_the_move = []
    real = beside.Beside.move_into

    def move_into(self, site, leave_out=()):
        seen_before_the_move.extend(p for p in paths if (site / p).exists())
        return real(self, site, leave_out)

    monkeypatch.setattr(beside.Beside, "move_into", move_into)
    site = build_site(
        root, rendered.pages, rendered.files, tmp_path / "site", later=_made_by(paths)
    )
    assert seen_before_the_move == []
    published = json.loads((site / "manifest.json").read_text())["published"]
    makers = set()
    for p in paths:
        data = (site / p).read_bytes()
        assert data.startswith(f"{p} made by ".encode())
        makers.add(int(data.rsplit(b" ", 1)[1]))
        assert published[p] == hashlib.sha256(data).hexdigest()
    assert makers and os.getpid() not in makers, "the copy made them"
    assert 'href="../downloads/projects.csv"' in (site / "data/index.html").read_text()


def test_data_files_the_settings_exclude_are_left_out_as_before(example, tmp_path):
    """An operator's `exclude_docs` keeps data files out of the site, made beside or not."""
    root, validation, history, config = example
    project = tmp_path / "project"
    for part in ("content", "site_overrides"):
        shutil.copytree(REPOSITORY / part, project / part)
    settings = (REPOSITORY / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(settings + "\nexclude_docs: |\n  downloads/*.xlsx\n")
    (project / "data").symlink_to(root / "data")
    sites = {}
    for later in (False, True):
        rendered = render_site(validation, history, config, later=later)
        out = tmp_path / f"site-{later}"
        build_site(project, rendered.pages, rendered.files, out, later=rendered.later)
        sites[later] = digests(out)
    assert "downloads/projects.csv" in sites[True]
    assert "downloads/projects.xlsx" not in sites[True]
    assert "downloads/spreadsheets/JCM_XA_AM001_ver01.0.xlsx" in sites[True], "not excluded"
    assert sites[True] == sites[False]


def test_a_failed_engine_leaves_no_copy_making_data_files(tmp_path):
    def slow() -> dict[str, bytes]:
        import time

        time.sleep(60)
        return {"downloads/x.csv": b""}

    pages = {"index.md": "[x](projects/NOPE.md)\n"}
    with pytest.raises(PublishError):
        build_site(
            FIXTURES / "example",
            pages,
            {},
            tmp_path / "site",
            later=DataFiles(("downloads/x.csv",), slow),
        )
    assert not forked._live
    assert not any(p.name.startswith(".jcm-build-") for p in tmp_path.iterdir())
