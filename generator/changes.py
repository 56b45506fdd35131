"""Checking a change by the partner countries it touches, with the same findings as a full run.

A *partition* is one Joint Committee's part of the registry (see `load.paths.partition_of`).
Records reach into another partition only by mistake, and the few registry-wide checks (serial
blocks in the Japanese registry, TPE designation numbers) need only a small summary of each
partition. So `jcm validate --changed-since REV` loads the partitions a change touches — with
every partition linked to them by a reference either way, and the shared records (TPEs,
reference tables, country files) — and reads the rest as cached summaries.

A summary is keyed by the digest of its partition's files as git names them (`git ls-tree`),
so an unchanged partition is summarised without reading a single one of its files; a summary
not in the cache is computed by loading that partition once.

**Why** this is exact: every finding on a record in the loaded partitions depends only on the
records loaded and on the summaries; `tests/test_changes.py` compares the findings of
partitioned and full runs, finding for finding, on registries with planted faults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.findings import Finding
from generator.link.dependencies import references
from generator.load.history import Started, git_output, start_changes
from generator.load.paths import classify, partition_of
from generator.load.records import load_registry
from generator.load.summary import Summary
from generator.load.tree import WorkingTree
from generator.pipeline import validate_loaded
from generator.report.partitions import digests_of, summaries_of
from generator.report.validation import Validation
from generator.util.cache import Cache
from generator.util.timing import paused_gc

CONTAINERS = frozenset({"data/countries", "data/decisions", "data/methodologies", "data/projects"})


def selector(partitions: set[str], shared: bool) -> Callable[[str], bool]:
    """Which paths to walk and load: the partitions named, and (if `shared`) what all share.

    Country files are loaded with the shared records: TPE designations name countries.
    """

    def keep(path: str) -> bool:
        part = partition_of(path)
        if part is None:
            return shared or path in CONTAINERS
        return part in partitions or (shared and path.startswith("data/countries/"))

    return keep


# ---------------------------------------------------------------------------------------------
# What a change touches


def affected(validation: Validation, changed: set[str], removed: set[str]) -> set[str]:
    """Paths of the records a change touches: the changed ones, the ones they refer to when
    they are decisions (whose statuses move), and every record that refers to any of them.

    A decision acts for its own country only: a TPE it designates or suspends touches the
    records of that country which name the TPE, not those of every country.
    """
    records = validation.loaded.all_records()
    by_path = {r.path: r for r in records}
    aliases = _tpe_aliases(validation)
    keys = {f"{r.kind}:{r.key}" for r in records if r.path in changed}
    keys |= removed
    tpes_in: set[tuple[str, str]] = set()
    for path in changed:
        record = by_path.get(path)
        if record is not None and record.kind == "decision":
            for ref in references(record):
                if ref.startswith("tpe:"):
                    tpes_in.add((aliases.get(ref, ref), record.model.country))
                else:
                    keys.add(ref)
    keys |= {aliases[k] for k in list(keys) if k in aliases}
    out = {r.path for r in records if r.path in changed}
    for record in records:
        refs = references(record)
        refs |= {aliases[k] for k in refs if k in aliases}
        country = partition_of(record.path)
        if (
            f"{record.kind}:{record.key}" in keys
            or refs & keys
            or any((ref, country) in tpes_in for ref in refs)
        ):
            out.add(record.path)
    return out


def _tpe_aliases(validation: Validation) -> dict[str, str]:
    registry = validation.registry
    return {f"tpe:{number}": f"tpe:{slug}" for number, (slug, _) in registry.tpe_numbers.items()}


# ---------------------------------------------------------------------------------------------
# The partitioned run


@dataclass
class Scoped:
    """The result of checking a change by partitions."""

    validation: Validation
    loaded: set[str]
    """The partitions loaded."""
    total: int
    """How many partitions the registry has."""
    present: set[str]
    deleted: set[str]
    scope: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def changed_paths(
    root: Path, rev: str, started: Started | None = None
) -> tuple[set[str], set[str]] | None:
    """Files under data/ that differ between `rev` and the working tree: (present, deleted),
    from the listing `started` (`generator.load.history.start_changes`), or one started now.

    Untracked files count, ignored ones too: a full run would load them all the same.
    """
    diff, others = (started or start_changes(root, rev)).outputs()
    if diff is None or others is None:
        return None
    present = {line for line in others.splitlines() if line.strip()}
    deleted: set[str] = set()
    for line in diff.splitlines():
        if not line.strip():
            continue
        status, path = line.split("\t", 1)
        (deleted if status.startswith("D") else present).add(path)
    return present, deleted


def removed_keys(deleted: Iterable[str]) -> set[str]:
    """The records deleted files held, as `kind:key` (from their paths alone)."""
    out = set()
    for path in deleted:
        where = classify(path)
        if where.kind and where.key:
            out.add(f"{where.kind}:{where.key}")
    return out


def blobs_at(root: Path, rev: str) -> dict[str, str] | None:
    """Every file under data/ at `rev` → its git blob id, from git's index of the tree."""
    listing = git_output(
        root, "ls-tree", "-r", "--full-tree", "--end-of-options", rev, "--", "data"
    )
    if listing is None:
        return None
    out = {}
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        mode, kind, blob = meta.split()
        if kind == "blob" and mode != "120000":
            out[path] = blob
    return out


def partition_digests_at(root: Path, rev: str, cache: Cache) -> dict[str, str] | None:
    """Each partition's digest at `rev` (None when `rev` is not a revision).

    **Why** kept by the id of `rev`'s data tree: listing and grouping 60,000 blobs is a
    third of a one-project `--changed-since` run, and a tree id names its content exactly, so
    the digests found under it are the ones a fresh listing would give.
    """
    tree = git_output(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}:data")
    tree = tree.strip() if tree else ""
    if tree:
        found = cache.get_many("partition-digests", [tree])
        if tree in found:
            return found[tree]
    blobs = blobs_at(root, rev)
    if blobs is None:
        return None
    digests = digests_of(blobs)
    if tree:
        cache.put_many("partition-digests", {tree: digests})
    return digests


def validate_changed(
    root: Path, rev: str, cache: Cache, started: Started | None = None
) -> Scoped | str:
    """Check what changed since `rev` by partitions; a reason string when a full run is needed.
    `started`: the listing of changes, if the caller started it (see `changed_paths`)."""
    changes = changed_paths(root, rev, started)
    at_rev = partition_digests_at(root, rev, cache) if changes is not None else None
    if changes is None or at_rev is None:
        return f"cannot compare with {rev!r} (is it a git revision?)"
    present, deleted = changes
    touched: set[str] = set()
    for path in sorted(present | deleted):
        part = partition_of(path)
        if part is None:
            return f"{path} is shared by every partner country"
        touched.add(part)

    with paused_gc():
        digests = {p: d for p, d in at_rev.items() if p not in touched}
        found = cache.get_many("partition", digests.values())
        summaries = {p: found[d] for p, d in digests.items() if d in found}
        missing = set(digests) - set(summaries)
        if missing:
            fresh = summaries_of(load_registry(WorkingTree(root, selector(missing, False)), cache))
            for part in missing:
                summaries[part] = fresh.get(part, Summary(part))
            cache.put_many("partition", {digests[p]: summaries[p] for p in missing})

        loaded_parts = set(touched)
        while True:
            loaded = load_registry(WorkingTree(root, selector(loaded_parts, True)), cache)
            mine = summaries_of(loaded)
            edges = {p: set(s.reaches) for p, s in summaries.items()}
            edges.update({p: set(mine[p].reaches) if p in mine else set() for p in loaded_parts})
            grown = _component(loaded_parts, edges)
            if grown == loaded_parts:
                break
            loaded_parts = grown
        outside = [summaries[p] for p in sorted(summaries) if p not in loaded_parts]
        validation = validate_loaded(loaded, outside)

    scope = affected(validation, present, removed_keys(deleted))
    findings = [f for f in validation.findings if f.path in scope or f.path in present]
    return Scoped(
        validation,
        loaded_parts,
        len(set(summaries) | loaded_parts),
        present,
        deleted,
        scope,
        findings,
    )


def _component(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    """The partitions linked to `start` by references in either direction."""
    undirected: dict[str, set[str]] = {}
    for a, targets in edges.items():
        for b in targets:
            undirected.setdefault(a, set()).add(b)
            undirected.setdefault(b, set()).add(a)
    seen = set(start)
    todo = list(start)
    while todo:
        for other in undirected.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen
