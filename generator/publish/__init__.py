"""Publish stage: rendered pages and files → a complete static site, swapped in whole or not at all.

In a staging folder beside the output: mkdocs-material builds the hand-written pages and one
probe per place a generated page can take (`engine`, `shells`); every generated page is filled
into its place's shell and written, with the data files; the sitemap is written, every internal
link checked (`linkcheck`), the search index built (`search`) and a manifest of SHA-256 digests
written; only then does the finished site replace the previous one. **Why**: a failed or
interrupted build must leave the previous `site/` exactly as it was, and the same commit must
build the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.history import History
from generator.publish import engine, linkcheck, search, shells, sitemap
from generator.publish.swap import recover, remove_staging, swap_in
from generator.render.page import Page, output_of, url_of
from generator.render.views import SiteConfig
from generator.util.timing import Clock

SEARCH_FOLDER = search.FOLDER


class PublishError(RuntimeError):
    """The site could not be built (the previous site is untouched)."""


@dataclass
class Published:
    site: Path
    notes: list[str] = field(default_factory=list)
    """What the operator should know: settings that reach the hand-written pages only."""


def site_project(root: Path) -> Path:
    """The folder holding mkdocs.yml, content/ and site_overrides/ for a registry root.

    A registry root may carry its own (an operator's fork); a bare data folder (a test fixture,
    a synthetic registry) is built with this repository's.
    """
    if (root / "mkdocs.yml").is_file():
        return root
    return Path(__file__).resolve().parents[2]


def site_config(root: Path) -> SiteConfig:
    """The operator's settings from mkdocs.yml (`extra`): notice, repository, branch."""
    config = yaml.safe_load((site_project(root) / "mkdocs.yml").read_text("utf-8")) or {}
    extra = config.get("extra") or {}
    repository = str(extra.get("repository") or "")
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        repository = f"{server}/{os.environ['GITHUB_REPOSITORY']}"
    return SiteConfig(
        repository=repository,
        branch=str(extra.get("branch") or "main"),
        notice=str(extra.get("data_notice") or ""),
        site_name=str(config.get("site_name") or "JCM Registry"),
    )


def build_site(
    root: Path,
    pages: Mapping[str, Page],
    files: Mapping[str, bytes],
    docs: Mapping[str, str],
    out: Path,
    history: History | None = None,
    inputs: Mapping[str, str] | None = None,
    timings: dict[str, float] | None = None,
) -> Published:
    """Build the site of `pages` (generated, by docs path), `files` (data files, by site path)
    and `docs` (Markdown for the engine, by docs path) with the hand-written content, into
    `out`. `timings`, when given, receives the seconds each step took (for the benchmark)."""
    clock = Clock(timings)
    project = site_project(root)
    config_site = site_config(root)
    recover(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jcm-build-", dir=out.parent))
    try:
        site = staging / "site"
        (staging / "docs").mkdir()
        try:
            config = engine.settings(project / "mkdocs.yml", staging / "docs", site)
        except engine.EngineError as exc:
            raise PublishError(str(exc)) from None
        in_nav = engine.nav_pages(config)
        places = {path: shells.place_of(page, path in in_nav) for path, page in pages.items()}
        _stage_docs(project / "content", staging / "docs", docs, places, pages)
        clock.lap("write the engine's pages")
        epoch = int(history.data_date.timestamp()) if history and history.data_date else 0
        try:
            warnings = engine.build(config, epoch)
        except engine.EngineError as exc:
            raise PublishError(str(exc)) from None
        clock.lap("site engine (hand-written pages and probes)")
        probes = {place.probe for place in places.values()}
        shell_of = _shells(site, probes, places)
        written = _site_files(site)
        digests = {path: _sha256(site / path) for path in written}
        clash = sorted(
            {output_of(p) for p in pages if output_of(p) in digests} | (files.keys() & digests)
        )
        if clash:
            raise PublishError(
                "generated pages or files would replace hand-written ones: " + ", ".join(clash)
            )
        site_shell = shells.Site(config_site.repository, config_site.branch)
        texts: dict[str, str] = {}
        for path, page in pages.items():
            try:
                texts[output_of(path)] = shells.fill(shell_of[places[path].probe], page, site_shell)
            except shells.ShellError as exc:
                raise PublishError(str(exc)) from None
        for path, text in texts.items():
            digests[path] = _write(site / path, text.encode("utf-8"))
        for path, data in files.items():
            digests[path] = _write(site / path, data)
        clock.lap("fill and write generated pages and files")
        page_urls = [url_of(p) for p in pages] + [
            path[: -len("index.html")] for path in written if path.endswith("/index.html")
        ]
        if "index.html" in written:
            page_urls.append("")
        xml = sitemap.sitemap(page_urls, config.site_url or "", history and history.data_date)
        digests["sitemap.xml"] = _write(site / "sitemap.xml", xml)
        digests["sitemap.xml.gz"] = _write(
            site / "sitemap.xml.gz", sitemap.gzipped(xml, history and history.data_date)
        )
        hand = {p: (site / p).read_text("utf-8") for p in written if p.endswith(".html")}
        served_at = urlsplit(config.site_url or "/").path or "/"
        broken = linkcheck.check({**hand, **texts}, digests, served_at.rstrip("/") + "/")
        if broken:
            shown = "\n".join(str(b) for b in broken[:50])
            more = f"\n… and {len(broken) - 50} more" if len(broken) > 50 else ""
            raise PublishError(f"{len(broken)} internal link(s) do not resolve:\n{shown}{more}")
        clock.lap("sitemap and link check")
        try:
            search.index(site)
        except search.SearchError as exc:
            raise PublishError(str(exc)) from None
        clock.lap("search index")
        for path in _site_files(site, SEARCH_FOLDER):
            digests[path] = _sha256(site / path)
        _manifest(site, history, inputs or {}, digests)
        swap_in(site, out)
        clock.lap("manifest and swap")
    finally:
        remove_staging(staging)
    notes = [f"mkdocs: {w}" for w in warnings]
    plugins = engine.page_plugins(config)
    if plugins:
        notes.append(
            "mkdocs plugins that act on pages ("
            + ", ".join(plugins)
            + f") were applied to the hand-written pages only, not to the {len(pages)} "
            "generated pages"
        )
    return Published(out, notes)


def _stage_docs(
    content: Path,
    docs: Path,
    engine_pages: Mapping[str, str],
    places: Mapping[str, shells.Place],
    pages: Mapping[str, Page],
) -> None:
    """The engine's docs folder: the hand-written content, the reference pages written as
    Markdown, and a probe for each place."""
    if content.is_dir():
        shutil.copytree(content, docs, dirs_exist_ok=True)
    for path, text in engine_pages.items():
        _write_new(docs, path, text, "a generated reference page")
    for place in sorted(set(places.values()), key=lambda p: p.probe):
        _write_new(docs, place.probe, shells.probe_markdown(place), f"the probe of {place.probe}")


def _write_new(docs: Path, path: str, text: str, what: str) -> None:
    target = docs / path
    if target.exists():
        raise PublishError(f"content/{path} is in the place of {what}: rename or remove it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _shells(
    site: Path, probes: set[str], places: Mapping[str, shells.Place]
) -> dict[str, shells.Shell]:
    """Each probe's page, split into its shell; its own folder is then removed from the site
    (a probe of a page in the navigation is replaced by that page)."""
    by_probe = {place.probe: place for place in places.values()}
    out = {}
    for probe in sorted(probes):
        page = site / output_of(probe)
        try:
            out[probe] = shells.split(page.read_text("utf-8"), by_probe[probe], url_of(probe))
        except shells.ShellError as exc:
            raise PublishError(f"{output_of(probe)}: {exc}") from None
        if by_probe[probe].own:
            page.unlink()  # the generated page takes its place
        else:
            shutil.rmtree(page.parent)
            folder = page.parent.parent
            while folder.name == shells.MARK and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
    return out


def _site_files(site: Path, only: str | None = None) -> list[str]:
    """The files under `site` (or its folder `only`), as sorted site paths."""
    top = site / only if only else site
    found = []
    for folder, _dirs, names in os.walk(top):
        for name in names:
            found.append(Path(folder, name).relative_to(site).as_posix())
    return sorted(found)


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(
    site: Path, history: History | None, inputs: Mapping[str, str], published: dict[str, str]
) -> None:
    manifest = {
        "commit": history.head.sha if history and history.head else None,
        "data_date": history.data_date.isoformat() if history and history.data_date else None,
        "inputs": dict(sorted(inputs.items())),
        "published": dict(sorted(published.items())),
    }
    (site / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
