"""Publish stage: the render stage's plan → a complete static site, swapped in whole or not at all.

In a staging folder beside the output:
1. the pages of the navigation are made; mkdocs-material builds the hand-written pages and one
   probe per place a generated page can take (`engine`, `shells`);
2. every other part of the site is made one at a time, or kept from the previous build when
   its inputs did not change (`reuse`): each page filled into its place's shell and written;
3. the search index is built (`search`) while the downloads are written and every internal
   link and anchor is checked (`linkcheck`); the sitemap and a manifest of SHA-256 digests
   are written;
4. only then does the finished site replace the previous one.

**Why**: a failed or interrupted build must leave the previous `site/` exactly as it was, and
the same commit must build the same bytes (a rebuild that keeps parts gives the bytes a full
build gives: tested).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.load.history import History
from generator.publish import engine, linkcheck, reuse, search, shells, sitemap
from generator.publish.swap import (
    recover,
    remove_abandoned,
    remove_staging,
    staging_folder,
    swap_in,
)
from generator.render.page import output_of, url_of
from generator.render.site import Part, Plan, Rendered
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
    made: int = 0
    kept: int = 0
    """Parts made by this build, and parts kept from the previous one."""


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
    plan: Plan,
    out: Path,
    history: History | None = None,
    inputs: Mapping[str, str] | None = None,
    timings: dict[str, float] | None = None,
    cache_dir: Path | None = None,
    code: str = "",
) -> Published:
    """Build the site of `plan` with the hand-written content into `out`.

    `cache_dir`, a cache folder, keeps what this build wrote, so that the next build into `out`
    keeps the parts whose inputs did not change (`code`, the generator's version, is one of
    them); `timings`, when given, receives the seconds each step took (for the benchmark)."""
    clock = Clock(timings)
    project = site_project(root)
    recover(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out.parent)
    staging = staging_folder(out.parent)
    indexer: search.Indexer | None = None
    try:
        site = staging / "site"
        (staging / "docs").mkdir()
        try:
            config = engine.settings(project / "mkdocs.yml", staging / "docs", site)
        except engine.EngineError as exc:
            raise PublishError(str(exc)) from None
        in_nav = engine.nav_pages(config)
        nav = [(part, part.make()) for part in plan.nav]
        clock.lap("render the navigation's pages")
        generated = {path for _part, made in nav for path in made.pages} | set(plan.record_pages)
        if nameless := sorted(generated & engine.untitled(config)):
            raise PublishError(
                f"{project / 'mkdocs.yml'}: give the navigation's entry for "
                + ", ".join(nameless)
                + " a title (`- Projects: projects/index.md`): a generated page is drawn into "
                "a shell made once, whose navigation cannot take each page's own title"
            )
        places = _places(nav, plan.record_pages, in_nav)
        _stage_docs(project / "content", staging / "docs", plan.docs, places)
        epoch = int(history.data_date.timestamp()) if history and history.data_date else 0
        try:
            warnings = engine.build(config, epoch)
        except engine.EngineError as exc:
            raise PublishError(str(exc)) from None
        shell_of = _shells(site, places)
        for own in ("sitemap.xml", "sitemap.xml.gz"):  # mkdocs' lists its pages only
            (site / own).unlink(missing_ok=True)
        engine_files = _site_files(site)
        clock.lap("site engine (hand-written pages and probes)")
        served_at = (urlsplit(config.site_url or "/").path or "/").rstrip("/") + "/"
        writer = _Writer(
            site,
            out,
            shell_of,
            in_nav,
            plan.config,
            engine_files,
            reuse.load(cache_dir, out),
            code if cache_dir is not None else None,
            served_at,
        )
        for part, made in nav:
            writer.write(part, made)
        for part in plan.records:
            writer.keep_or_make(part)
        clock.lap("render, fill and write the record pages")
        indexer = search.Indexer(site)
        for part in plan.data:
            writer.keep_or_make(part)
        clock.lap("data files (while the search index is built)")
        page_urls = [url_of(p) for p in writer.pages] + [
            path.removesuffix("index.html") for path in engine_files if path.endswith("index.html")
        ]
        day = history.data_date if history else None
        xml = sitemap.sitemap(page_urls, config.site_url or "", day)
        writer.put("sitemap.xml", xml)
        writer.put("sitemap.xml.gz", sitemap.gzipped(xml))
        broken = writer.broken_links()
        if broken:
            shown = "\n".join(
                f"{_source_of(b.page, project, writer.sources)}: {b}" for b in broken[:50]
            )
            more = f"\n… and {len(broken) - 50} more" if len(broken) > 50 else ""
            raise PublishError(
                f"{len(broken)} internal link(s) do not resolve; fix each link in the file "
                f"named before it (a page's address is relative to the page):\n{shown}{more}"
            )
        clock.lap("sitemap and link check")
        try:
            indexer.wait()
        except search.SearchError as exc:
            raise PublishError(str(exc)) from None
        clock.lap("search index (the wait for what is left of it)")
        if timings is not None:
            timings["search index (Pagefind, its own time beside the rest)"] = indexer.seconds
        digests = writer.digests()
        for path in _site_files(site, SEARCH_FOLDER):
            digests[path] = _sha256(site / path)
        _manifest(site, history, inputs or {}, digests)
        clock.lap("manifest")
        swap_in(site, out)
        clock.lap("swap (the previous site removed)")
        reuse.save(cache_dir, out, writer.record)
        clock.lap("record of this build (for the next)")
    finally:
        if indexer is not None:
            indexer.stop()
        remove_staging(staging)
    notes = [f"mkdocs: {w}" for w in warnings]
    plugins = engine.page_plugins(config)
    if plugins:
        notes.append(
            "mkdocs plugins that act on pages ("
            + ", ".join(plugins)
            + f") were applied to the hand-written pages only, not to the {len(writer.pages)} "
            "generated pages"
        )
    return Published(out, notes, writer.made, writer.kept)


def _places(
    nav: list[tuple[Part, Rendered]], record_pages: Iterable[str], in_nav: set[str]
) -> dict[str, shells.Place]:
    """Every place a generated page may take, by probe: a navigation page's own, and each
    record section's at each depth, with a table of contents and without (a record page's
    headings are known only once it is made)."""
    places: dict[str, shells.Place] = {}
    for _part, made in nav:
        for path, page in made.pages.items():
            place = shells.place_of(page, path in in_nav)
            places[place.probe] = place
    for path in record_pages:
        for has_toc in (True, False):
            place = shells.place_for(path, (), has_toc, path in in_nav)
            if place.own and place.probe in places:
                continue
            places.setdefault(place.probe, place)
    return places


class _Writer:
    """Writes the parts of the site into the staging folder, made or kept from the previous
    build, and keeps what the link check, the manifest and the next build need."""

    def __init__(
        self,
        site: Path,
        out: Path,
        shell_of: dict[str, shells.Shell],
        in_nav: set[str],
        config: SiteConfig,
        engine_files: list[str],
        before: reuse.SiteRecord | None,
        code: str | None,
        served_at: str,
    ) -> None:
        self.site = site
        self.out = out
        self.shell_of = shell_of
        self.in_nav = in_nav
        self.config = config
        self.before = before
        self.code = code
        """The generator's version, part of every key; None: no key (nothing is kept)."""
        self.record = reuse.SiteRecord(engine_files=engine_files)
        self.engine = set(engine_files)
        self.extra: dict[str, str] = {}
        self.pages: list[str] = []
        self.sources: dict[str, str] = {}
        """A page made by this build → the record file it shows."""
        self.folders: set[Path] = set()
        self.made = 0
        self.kept = 0
        self.links = linkcheck.Links(served_at)
        self.shell_ids = {
            probe: linkcheck.ids_of("".join(shell.pieces)) for probe, shell in shell_of.items()
        }

    def _key(self, part: Part) -> str | None:
        if part.inputs is None or self.code is None:
            return None
        digest = hashlib.sha256(f"{self.code}\0{part.name}\0".encode())
        digest.update(part.inputs())
        return digest.hexdigest()

    def keep_or_make(self, part: Part) -> None:
        key = self._key(part)
        if key is not None and self._keep(part.name, key):
            return
        self.write(part, part.make(), key)

    def _keep(self, name: str, key: str) -> bool:
        """Link the part's files of the previous build into the site, if its key, its shells
        and its files are as they were."""
        if self.before is None:
            return False
        old_key, files = self.before.parts.get(name, ("", {}))
        if old_key != key or not files:
            return False
        for path, written in files.items():
            if path in self.engine:  # a hand-written page now where a generated one was
                return False
            if written.page is not None:
                shell = self.shell_of.get(written.probe or "")
                if shell is None or shell.digest != written.shell:
                    return False
                if (written.probe == written.page) != (written.page in self.in_nav):
                    return False
            if not written.still_there(self.out / path):
                return False
        for path, written in files.items():
            target = self.site / path
            self._folder(target.parent)
            try:
                os.link(self.out / path, target)
            except FileExistsError:  # written twice: a generator bug
                raise
            except OSError:  # a file system without hard links: a copy, recorded as such
                shutil.copy2(self.out / path, target)
                now = os.stat(target)
                written.inode, written.size, written.mtime_ns = (
                    now.st_ino,
                    now.st_size,
                    now.st_mtime_ns,
                )
            if written.page is not None:
                self.pages.append(written.page)
            self.links.add_resolved(path, written.links)
        self.record.parts[name] = (key, files)
        self.kept += 1
        return True

    def write(self, part: Part, made: Rendered, key: str | None = None) -> None:
        files: dict[str, reuse.Written] = {}
        for path, page in made.pages.items():
            place = shells.place_of(page, path in self.in_nav)
            shell = self.shell_of[place.probe]
            try:
                text = shells.fill(shell, page, self.config)
            except shells.ShellError as exc:
                raise PublishError(str(exc)) from None
            target = output_of(path)
            written = self._put(target, text.encode("utf-8"))
            written.page, written.probe, written.shell = path, place.probe, shell.digest
            body_links, body_ids = linkcheck.scan(page.body)
            written.ids = sorted(map(sys.intern, body_ids))
            own = body_ids | self.shell_ids[place.probe]
            if page.edit:
                self.sources[target] = page.edit
            leaving = self.links.add(target, body_links, own)
            written.links = sorted(set(map(sys.intern, leaving)))
            files[target] = written
            self.pages.append(path)
        for path, data in made.files.items():
            files[path] = self._put(path, data)
            if path.startswith("api/v1/") and path.endswith(".json"):
                rows = linkcheck.json_links(data)
                files[path].links = sorted(set(self.links.add(path, rows, at="index.html")))
        self.record.parts[part.name] = (key or "", files)
        self.made += 1

    def _put(self, path: str, data: bytes) -> reuse.Written:
        if path in self.engine:
            raise PublishError(f"generated pages or files would replace hand-written ones: {path}")
        target = self.site / path
        self._folder(target.parent)
        with open(target, "xb") as handle:  # a path written twice is a generator bug
            handle.write(data)
        stat = os.stat(target)
        digest = hashlib.sha256(data).hexdigest()
        return reuse.Written(digest, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def _folder(self, folder: Path) -> None:
        """Make a folder of the site (each once: 30,000 folders at 10,000 projects)."""
        if folder not in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)

    def put(self, path: str, data: bytes) -> None:
        """A file of the site that is written on every build (the sitemap)."""
        self.extra[path] = self._put(path, data).digest

    def digests(self) -> dict[str, str]:
        found = {p: _sha256(self.site / p) for p in self.record.engine_files}
        for _key, files in self.record.parts.values():
            found.update({path: written.digest for path, written in files.items()})
        return found | self.extra

    def broken_links(self) -> list[linkcheck.Broken]:
        """The links of the hand-written pages, of each shell (once, from its probe's place),
        and of every article: made by this build, or kept from the previous one (its links as
        that build read them: the page is the same file)."""
        present = set(self.extra) | self.engine
        ids: dict[str, set[str]] = {}
        for _key, files in self.record.parts.values():
            present.update(files)
            for path, written in files.items():
                if written.page is not None:
                    ids[path] = self.shell_ids.get(written.probe or "", set()) | set(written.ids)
        for path in self.engine:
            if path.endswith(".html"):
                found, ids[path] = linkcheck.scan((self.site / path).read_text("utf-8"))
                self.links.add(path, found)
        for probe, shell in self.shell_of.items():
            page = output_of(probe)
            present.add(page)
            ids.setdefault(page, set()).update(self.shell_ids[probe])
            self.links.add(page, linkcheck.links_of("".join(shell.pieces)))
        return self.links.broken(present, ids)


def _source_of(output: str, project: Path, sources: Mapping[str, str]) -> str:
    """The file a page of the site comes from: a record, a hand-written page, or the
    generator."""
    if output in sources:
        return sources[output]
    stem = output.removesuffix("index.html").rstrip("/") or "index"
    for candidate in (f"content/{stem}.md", f"content/{stem}/index.md"):
        if (project / candidate).is_file():
            return candidate
    return "the generator"


def _stage_docs(
    content: Path, docs: Path, engine_pages: Mapping[str, str], places: dict[str, shells.Place]
) -> None:
    """The engine's docs folder: the hand-written content, the reference pages written as
    Markdown, and a probe for each place."""
    if content.is_dir():
        shutil.copytree(content, docs, dirs_exist_ok=True)
    for path, text in engine_pages.items():
        _write_new(docs, path, text, f"the generated page {path}")
    for probe, place in sorted(places.items()):
        what = f"the generated page {probe}" if place.own else "a page the build makes"
        _write_new(docs, probe, shells.probe_markdown(place), what)


def _write_new(docs: Path, path: str, text: str, what: str) -> None:
    target = docs / path
    if target.exists():
        raise PublishError(
            f"content/{path} is in the place of {what}: rename or remove content/{path}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _shells(site: Path, places: dict[str, shells.Place]) -> dict[str, shells.Shell]:
    """Each probe's page, split into its shell; the probe is then removed from the site (a
    probe of a page in the navigation is replaced by that page)."""
    out = {}
    for probe, place in sorted(places.items()):
        page = site / output_of(probe)
        try:
            out[probe] = shells.split(page.read_text("utf-8"), place, url_of(probe))
        except shells.ShellError as exc:
            raise PublishError(f"{output_of(probe)}: {exc}") from None
        page.unlink()
        folder = page.parent
        while folder != site and not any(folder.iterdir()):
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
