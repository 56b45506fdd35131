"""A rebuild keeps the parts of the site whose inputs did not change, and gives the bytes a full
build of the same commit gives, whatever record changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import build
from generator.publish import reuse
from generator.util.cache import Cache
from tests.conftest import FIXTURES


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def commit(root: Path, message: str) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", message], check=True)


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    "a project's title": lambda r: edit(
        r, "data/projects/XA004/project.yaml", "at a School", "at a College"
    ),
    "a country's name (on the pages of its records)": lambda r: edit(
        r, "data/countries/XA.yaml", "en: Republic of Exampleland", "en: Republic of Sampleland"
    ),
    "a TPE's name (on the pages of what it validated)": lambda r: edit(
        r,
        "data/tpes/example-assurance.yaml",
        "legal_name: Example Assurance Organization",
        "legal_name: Sample Assurance Organization",
    ),
    "a methodology's title": lambda r: edit(
        r, "data/methodologies/XA_AM001.yaml", "Solar PV System (fictional)", "PV (fictional)"
    ),
    "a withdrawal taken out of a decision (a status, a timeline, its country)": lambda r: edit(
        r,
        "data/decisions/XA/2019-12-05-2nd-jc.yaml",
        '  - id: "6"\n    type: withdraw_registration_request\n    project: XA002\n',
        "",
    ),
    "a registration moved to a later decision (the project's files unchanged)": lambda r: (
        edit(
            r,
            "data/decisions/XA/2019-12-05-2nd-jc.yaml",
            '  - id: "7"\n    type: register_project\n    project: XA004\n',
            "",
        ),
        edit(
            r,
            "data/decisions/XA/2021-04-15-3rd-jc.yaml",
            "items:\n",
            'items:\n  - id: "9"\n    type: register_project\n    project: XA004\n',
        ),
    ),
    "a reference table every page may read": lambda r: edit(
        r, "data/reference/sectoral-scopes.yaml", "title: Energy demand", "title: Energy use"
    ),
    "a monitoring report removed": lambda r: (
        r / "data/projects/XA001/monitoring/2021-07-01_2021-12-31.yaml"
    ).unlink(),
    "an issuance removed (a decision's link target stays)": lambda r: (
        r / "data/projects/XA001/issuances/2022-12-01.yaml"
    ).unlink(),
}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The example in a repository, built once with a cache: what each rebuild starts from."""
    base = tmp_path_factory.mktemp("reuse")
    root = base / "registry"
    shutil.copytree(FIXTURES / "example", root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit(root, "records")
    cache = base / "cache"
    site = base / "site"
    result = build(root, site, Cache(cache))
    assert result.site is not None and result.kept == 0
    return root, site, cache


def after_first(first, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the first build's registry, its site (the same files on disk, linked) and its
    cache, with the record of the first build for the site's new place."""
    root0, site0, cache0 = first
    root, out, cache = tmp_path / "registry", tmp_path / "site", tmp_path / "cache"
    shutil.copytree(root0, root)
    shutil.copytree(site0, out, copy_function=os.link)
    shutil.copytree(cache0, cache)
    reuse.save(cache, out, reuse.load(cache, site0))
    return root, out, cache


@pytest.mark.slow
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_rebuild_gives_the_bytes_of_a_full_build(first, tmp_path, change):
    root, out, cache = after_first(first, tmp_path)
    CHANGES[change](root)
    commit(root, change)
    again = build(root, out, Cache(cache))
    assert again.site is not None
    assert build(root, tmp_path / "full", None).site is not None
    assert digests(out) == digests(tmp_path / "full")
    assert again.kept > 0 and again.made > 0, "the rebuild kept parts and made others"


def test_a_rebuild_keeps_only_what_is_unchanged_on_disk(first, tmp_path):
    """A kept file must still be the file written: one changed in the site since is made again."""
    root0, site0, cache0 = first
    out, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(cache0, cache)
    assert build(root0, out, Cache(cache)).site is not None
    quiet = build(root0, out, Cache(cache))
    page = out / "projects/XA002/index.html"
    page.write_text(page.read_text("utf-8").replace("XA002", "FORGED"), encoding="utf-8")
    after = build(root0, out, Cache(cache))
    assert after.made == quiet.made + 1
    assert "FORGED" not in page.read_text("utf-8")
    assert digests(out) == digests(site0)


def test_a_build_without_a_cache_keeps_nothing_and_records_nothing(first, tmp_path):
    root0, site0, _cache = first
    out = tmp_path / "site"
    shutil.copytree(site0, out)
    result = build(root0, out, None)
    assert result.kept == 0 and result.made > 0


def test_the_links_of_a_kept_page_are_checked_too(first, tmp_path):
    """A kept page's links are checked as its build read them: a file it links to that is no
    longer made (here the spreadsheet a methodology page offers) fails the rebuild."""
    from generator.load.history import read_history
    from generator.publish import PublishError, build_site, site_config
    from generator.render.site import Plan, plan_site

    root0 = first[0]
    _root, out, cache = after_first(first, tmp_path)
    from generator.pipeline import validate_root
    from generator.util.cache import code_version

    plan = plan_site(validate_root(root0), read_history(root0), site_config(root0))
    sheets = [p for p in plan.data if p.name.startswith("spreadsheet:")]
    assert sheets
    without = Plan(
        plan.nav,
        plan.records,
        [p for p in plan.data if p not in sheets],
        plan.record_pages,
        plan.docs,
        plan.config,
    )
    with pytest.raises(PublishError, match=r"methodologies/XA_AM001/index.html: .*xlsx"):
        build_site(root0, without, out, read_history(root0), cache_dir=cache, code=code_version())


def test_a_hand_written_page_where_a_kept_page_was_is_refused(first, tmp_path):
    """A page written by hand in the place of a generated page is refused by a rebuild as by
    a full build, never replaced by the kept page."""
    from generator.publish import PublishError

    root, out, cache = after_first(first, tmp_path)
    for part in ("content", "site_overrides", "mkdocs.yml"):
        source = Path(__file__).resolve().parents[2] / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy(source, root / part)
    (root / "content/projects").mkdir(parents=True)
    (root / "content/projects/XA001.md").write_text("# Mine\n")
    with pytest.raises(PublishError, match="would replace hand-written ones: projects/XA001/"):
        build(root, out, Cache(cache))
