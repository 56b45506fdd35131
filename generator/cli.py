"""`jcm` commands: parse arguments, call one function, print, set the exit code."""

from __future__ import annotations

import argparse
import subprocess
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.findings import Severity, findings_as_json, has_errors

if TYPE_CHECKING:
    from generator.util.cache import Cache


def default_root() -> Path:
    """The current git repository's top level, else the current directory."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        )
        return Path(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return Path.cwd()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jcm", description="JCM public registry: validate records and build the site."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check every record and report all problems")
    val.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    val.add_argument("--format", choices=("text", "github", "json"), default="text")
    val.add_argument(
        "--changed-since",
        metavar="REV",
        help="report only findings on records changed since REV (a git revision) and on the "
        "records that depend on them; cross-record rules still see the whole registry",
    )
    _cache_options(val)
    val.add_argument(
        "--show-incomplete",
        action="store_true",
        help="also list each coverage gap (incomplete findings), not only their count",
    )
    bld = sub.add_parser("build", help="validate, then build the static site")
    bld.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    bld.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/site)")
    _cache_options(bld)
    srv = sub.add_parser("serve", help="build the site and serve it on this machine")
    srv.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    srv.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/site)")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--host", default="127.0.0.1")
    sheet = sub.add_parser(
        "spreadsheet", help="write a methodology's monitoring spreadsheet (XLSX)"
    )
    sheet.add_argument("methodology", help="approved methodology id, e.g. MN_AM003")
    sheet.add_argument("--version", help='version, e.g. "02.0" (default: the latest)')
    sheet.add_argument("--project", help="project id: its units, attributes and estimates")
    sheet.add_argument("--out", type=Path, help="file to write (default: JCM_<id>_ver<v>.xlsx)")
    sheet.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    imp = sub.add_parser(
        "import-monitoring", help="read a filled Monitoring Report Sheet into a monitoring record"
    )
    imp.add_argument("file", type=Path, help="the filled .xlsx")
    imp.add_argument("--project", required=True, help="project id, e.g. MN003")
    imp.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    imp.add_argument("--force", action="store_true", help="replace an existing record")
    dif = sub.add_parser("diff", help="what a change does to the registry (Markdown)")
    dif.add_argument("base", help="git revision before the change, e.g. origin/main")
    dif.add_argument("head", nargs="?", default="HEAD", help="git revision after the change")
    dif.add_argument("--root", type=Path, default=None, help="repository root")
    links = sub.add_parser("check-links", help="check the external links of the records")
    links.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    links.add_argument("--strict", action="store_true", help="exit 1 when a link is broken")
    links.add_argument("--timeout", type=float, default=20.0)
    syn = sub.add_parser("synth", help="write a deterministic, fictional registry of any size")
    syn.add_argument("out", type=Path, help="folder to write (its data/ must not exist)")
    syn.add_argument("--projects", type=int, default=300)
    syn.add_argument("--seed", type=int, default=1)
    syn.add_argument("--faults", type=int, default=0, help="plant this many known errors")
    new = sub.add_parser("new", help="scaffold a new record under the identifier given")
    new.add_argument(
        "kind",
        choices=("country", "decision", "methodology", "tpe", "project", "monitoring", "issuance"),
    )
    new.add_argument("id", help="identifier assigned by the secretariat/JC, e.g. MN008")
    new.add_argument("--root", type=Path, default=None, help="registry root (holds data/)")
    sch = sub.add_parser("schemas", help="write the JSON Schemas of the record kinds")
    sch.add_argument("--root", type=Path, default=None, help="repository root")
    sch.add_argument("--check", action="store_true", help="only check they are up to date")
    return parser


def _cache_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="where to keep the cache of parsed files and built pages (default: a folder of "
        "the user's cache folder named after the repository, never inside it; safe to delete "
        "at any time)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (the results are the same, only slower)",
    )


def _cache(args: argparse.Namespace, root: Path) -> Cache:
    """The cache the command asked for (a `CacheRefused` when it names a folder inside the
    checkout); a `.jcm-cache` in the checkout is never read, and a warning says so."""
    import os

    from generator.util.cache import checkout_warning, open_cache

    warning = checkout_warning(root)
    if warning:
        print(warning, file=sys.stderr)
    off = getattr(args, "no_cache", False) or os.environ.get("JCM_NO_CACHE", "") not in ("", "0")
    directory = getattr(args, "cache_dir", None) or (
        Path(os.environ["JCM_CACHE_DIR"]) if os.environ.get("JCM_CACHE_DIR") else None
    )
    return open_cache(root, directory, enabled=not off)


def _root(args: argparse.Namespace) -> Path | None:
    root = (args.root or default_root()).resolve()
    if not (root / "data").is_dir():
        print(
            f"jcm: no data/ folder under {root}; give the registry root with --root",
            file=sys.stderr,
        )
        return None
    return root


def cmd_build(args: argparse.Namespace) -> int:
    from generator.pipeline import build

    root = _root(args)
    if root is None:
        return 2
    from generator.publish import PublishError

    out = (args.out or root / "site").resolve()
    try:
        result = build(root, out, _cache(args, root))
    except PublishError as exc:
        print(f"jcm: {exc}\njcm: the site in {out} was left as it was", file=sys.stderr)
        return 1
    if result.site is None:
        for finding in result.validation.findings:
            if finding.severity is Severity.ERROR:
                print(finding.as_text())
        print(f"jcm: validation failed; the site in {out} was left as it was", file=sys.stderr)
        return 1
    for note in result.notes:
        print(f"jcm: note: {note}", file=sys.stderr)
    kept = f", {result.kept} kept from the previous build" if result.kept else ""
    print(f"built {out} ({result.made} parts of the site made{kept})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import functools
    import http.server

    status = cmd_build(args)
    if status:
        return status
    root = _root(args)
    out = (args.out or root / "site").resolve()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"serving {out} on http://{args.host}:{args.port}/ (Ctrl-C stops)")
        server.serve_forever()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    root = _root(args)
    if root is None:
        return 2
    started = None
    if args.changed_since:  # git lists the changes while the checks are imported
        from generator.load.history import start_changes

        started = start_changes(root, args.changed_since)
    from generator.pipeline import validate_root
    from generator.report.completeness import format_coverage

    cache = _cache(args, root)
    note = ""
    if args.changed_since:
        from generator.changes import validate_changed

        scoped = validate_changed(root, args.changed_since, cache, started)
        if isinstance(scoped, str) and scoped.startswith("cannot compare"):
            print(f"jcm: {scoped}", file=sys.stderr)
            return 2
        if isinstance(scoped, str):
            result, findings, present, deleted, scope = _changed_in_full(root, args, cache)
            note = f"; {scoped}, so the whole registry was checked"
        else:
            result, findings = scoped.validation, scoped.findings
            present, deleted, scope = scoped.present, scoped.deleted, scoped.scope
            note = (
                f"; {len(scoped.loaded)} of {scoped.total} partner countries' records loaded, "
                "the others read as cached summaries"
            )
        print(
            f"{len(present) + len(deleted)} file(s) changed since {args.changed_since}; "
            f"checking {len(scope)} record(s) they touch{note}",
            file=sys.stderr,
        )
    else:
        result = validate_root(root, cache)
        findings = result.findings
    cache.close()
    show_gaps = args.show_incomplete
    shown = [f for f in findings if show_gaps or f.severity is not Severity.INCOMPLETE]
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    gaps = sum(f.severity is Severity.INCOMPLETE for f in findings)
    files = len(result.loaded.blobs)
    records = len(result.loaded.all_records())
    summary = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
        f"{gaps} coverage gap{'s' * (gaps != 1)} (incomplete"
        f"{'' if show_gaps else '; --show-incomplete lists them'}) "
        f"in {files} files ({records} records loaded)"
    )
    if args.changed_since:
        summary = summary.replace(
            f"in {files} files ({records} records loaded)",
            f"in the {len(scope)} record(s) the change touches ({files} files read)",
        )
    if args.format == "json":
        cover = [
            {
                "kind": m.kind,
                "label": m.label,
                "known": m.known,
                "total": m.total,
                "by_country": {c: list(v) for c, v in m.by_country.items()},
            }
            for m in result.coverage
        ]
        extra = {
            "summary": {
                "errors": errors,
                "warnings": warnings,
                "incomplete": gaps,
                "files": files,
                "records": records,
            },
            "coverage": [] if args.changed_since else cover,
        }
        print(findings_as_json(findings, extra))
    elif args.format == "github":
        for finding in shown:
            print(finding.as_github())
        print(summary)
    else:
        for finding in shown:
            print(finding.as_text())
        if (
            not args.changed_since
            and result.coverage
            and result.registry
            and result.registry.projects
        ):
            print(format_coverage(result.coverage))
        print(summary)
    return 1 if has_errors(findings) else 0


def _changed_in_full(root: Path, args: argparse.Namespace, cache: Cache) -> tuple:
    """`--changed-since` when a shared record changed: the whole registry, findings filtered."""
    from generator.changes import affected, changed_paths, removed_keys
    from generator.pipeline import validate_root

    result = validate_root(root, cache)
    present, deleted = changed_paths(root, args.changed_since) or (set(), set())
    scope = affected(result, present, removed_keys(deleted))
    findings = [f for f in result.findings if f.path in scope or f.path in present]
    return result, findings, present, deleted, scope


def cmd_spreadsheet(args: argparse.Namespace) -> int:
    from generator.pipeline import validate_root
    from generator.render.workbook import Target, build_workbook, target_for, workbook_bytes

    root = _root(args)
    if root is None:
        return 2
    result = validate_root(root)
    registry, computed = result.registry, result.computed
    record = registry.methodologies.get(args.methodology)
    if record is None:
        print(f"jcm: no methodology {args.methodology} in {root}/data", file=sys.stderr)
        return 2
    versions = [v.version for v in record.model.versions if v.version]
    version = args.version or (versions[-1] if versions else None)
    key = f"{args.methodology}@{version}"
    compiled = computed.versions.get(key)
    if compiled is None:
        print(
            f"jcm: {args.methodology} has no version {version!r} (it has: "
            f"{', '.join(versions) or 'none'})",
            file=sys.stderr,
        )
        return 2
    if not compiled.equations or compiled.broken:
        for finding in result.findings:
            if finding.path == record.path and finding.code.startswith("EQ-"):
                print(finding.as_text())
        print(f"jcm: {key} has no usable equations; no spreadsheet written", file=sys.stderr)
        return 1
    target = Target()
    if args.project:
        project = registry.projects.get(args.project)
        if project is None:
            print(f"jcm: no project {args.project}", file=sys.stderr)
            return 2
        if key not in [a.methodology for a in project.model.methodologies]:
            print(f"jcm: {args.project} does not apply {key}", file=sys.stderr)
            return 2
        target = target_for(project, key)
    suffix = f"_{args.project}" if args.project else ""
    out = args.out or Path(f"JCM_{args.methodology}_ver{version}{suffix}.xlsx")
    out.write_bytes(workbook_bytes(build_workbook(compiled, args.methodology, target)))
    print(f"wrote {out}")
    return 0


def cmd_import_monitoring(args: argparse.Namespace) -> int:
    from generator.load.tree import OverlayTree, WorkingTree
    from generator.load.workbook import read_monitoring_workbook
    from generator.pipeline import validate_tree
    from generator.tools.yamlout import dump_record

    root = _root(args)
    if root is None:
        return 2
    raw = args.file.read_bytes()
    parsed = read_monitoring_workbook(raw, str(args.file), project=args.project)
    if parsed.findings or parsed.data is None:
        for finding in parsed.findings:
            print(finding.as_text())
        print("jcm: nothing written", file=sys.stderr)
        return 1
    data = parsed.data
    period = data["period"]
    rel = (
        f"data/projects/{args.project}/monitoring/"
        f"{period['start'].isoformat()}_{period['end'].isoformat()}.yaml"
    )
    target = root / rel
    if target.exists() and not args.force:
        print(f"jcm: {rel} exists; give --force to replace it", file=sys.stderr)
        return 1
    text = dump_record(data, schema="../../../../schemas/monitoring.schema.json")
    result = validate_tree(OverlayTree(WorkingTree(root), {rel: text.encode()}))
    mine = [f for f in result.findings if f.path == rel and f.severity is Severity.ERROR]
    for finding in mine:
        print(finding.as_text())
    if mine:
        print("jcm: the sheet has errors; nothing written", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {rel}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from generator.tools.diff import diff_revisions, to_markdown

    root = (args.root or default_root()).resolve()
    try:
        diff = diff_revisions(root, args.base, args.head)
    except Exception as exc:
        if type(exc).__name__ in (
            "BadName",
            "BadObject",
            "InvalidGitRepositoryError",
            "NoSuchPathError",
            "ValueError",
        ):
            print(f"jcm: cannot read {args.base}..{args.head} in {root}: {exc}", file=sys.stderr)
            return 2
        raise
    print(to_markdown(diff))
    return 0


def cmd_check_links(args: argparse.Namespace) -> int:
    from generator.tools.source_links import check_links, report

    root = _root(args)
    if root is None:
        return 2
    results = check_links(root, timeout=args.timeout)
    print(report(results))
    broken = [r for r in results if not r.ok]
    return 1 if broken and args.strict else 0


def cmd_synth(args: argparse.Namespace) -> int:
    from generator.tools.synth import synthesize

    if (args.out / "data").exists():
        print(f"jcm: {args.out / 'data'} exists; give an empty folder", file=sys.stderr)
        return 2
    written = synthesize(args.out, args.projects, args.seed, args.faults)
    print(
        f"wrote {written.files} files under {args.out}/data"
        + (f"; {len(written.faults)} planted faults in faults.json" if args.faults else "")
    )
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from generator.tools.scaffold import ScaffoldError, scaffold

    root = _root(args)
    if root is None:
        return 2
    try:
        made = scaffold(args.kind, args.id, root)
    except ScaffoldError as exc:
        print(f"jcm: {exc}", file=sys.stderr)
        return 1
    target = root / made.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(made.text, encoding="utf-8")
    print(f"wrote {made.path}: fill the <placeholders>, then run `jcm validate`")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from generator.schema import RECORD_MODELS
    from generator.schema.jsonschema import SCHEMA_DIR, schema_text, write_schemas

    root = (args.root or default_root()).resolve()
    if args.check:
        stale = [
            kind
            for kind in RECORD_MODELS
            if not (root / SCHEMA_DIR / f"{kind}.schema.json").is_file()
            or (root / SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8") != schema_text(kind)
        ]
        for kind in stale:
            print(f"{SCHEMA_DIR}/{kind}.schema.json is out of date: run `jcm schemas`")
        return 1 if stale else 0
    for path in write_schemas(root):
        print(f"wrote {path.relative_to(root)}")
    return 0


COMMANDS = {
    "synth": cmd_synth,
    "diff": cmd_diff,
    "check-links": cmd_check_links,
    "new": cmd_new,
    "schemas": cmd_schemas,
    "validate": cmd_validate,
    "build": cmd_build,
    "serve": cmd_serve,
    "spreadsheet": cmd_spreadsheet,
    "import-monitoring": cmd_import_monitoring,
}


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: staging folders are removed, the site engine is stopped,
    and the previous site stays as it was."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    if threading_main():
        signal.signal(signal.SIGTERM, _terminate)
    args = _parser().parse_args(argv)
    from generator.util.cache import CacheRefused

    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except CacheRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception:  # a traceback is a generator bug, never a data problem
        traceback.print_exc()
        print(
            "\njcm: internal error — this is a bug in the generator, not in your data. "
            "Please report it with the text above.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
