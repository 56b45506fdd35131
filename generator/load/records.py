"""Load stage: every file under `data/` → typed records (with positions) + findings.

Nothing here knows the registry's rules; it only knows where records live, how YAML is read
and what each record kind's fields are.
"""

from __future__ import annotations

import gc
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.findings import Finding, make_finding
from generator.load.paths import classify
from generator.load.tree import SourceTree
from generator.load.yaml_source import MAX_BYTES, ParsedYaml, locate_in, parse_yaml
from generator.schema import RECORD_MODELS
from generator.schema.errors import field_path, findings_from_validation_error
from generator.util.cache import Cache, key_of, pickled

KINDS = tuple(RECORD_MODELS)


@dataclass(frozen=True)
class Record:
    """A record as its file says it: the typed model, where each value was written, its digest."""

    kind: str
    key: str
    path: str
    model: Any
    source: ParsedYaml | LazySource = field(repr=False, compare=False)
    digest: str = ""

    def locate(self, *path: str | int) -> tuple[int, int]:
        """Line and column of the value at a field path (nearest written ancestor)."""
        return self.source.locate(tuple(path))

    def locate_key(self, *path: str | int) -> tuple[int, int]:
        return self.source.locate_key(tuple(path))


@dataclass
class Loaded:
    """The output of the load stage."""

    records: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )
    findings: list[Finding] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    """Every input file → its SHA-256 (the provenance of a build)."""
    blobs: dict[str, str] = field(default_factory=dict)
    """Every file under data/ → git's id of its bytes (`git hash-object`). **Why:** a later
    run can then name the content of a whole partition from `git ls-tree`, without reading it."""

    def all_records(self) -> list[Record]:
        return [r for kind in KINDS for r in self.records[kind].values()]


def load_registry(tree: SourceTree, cache: Cache | None = None) -> Loaded:
    """Read and type every record of a source tree; never stops at the first problem.

    With a cache, a file whose bytes were read before (by this version of the generator) is
    not parsed again: its plain values and findings come from the cache and are typed anew.
    """
    loaded = Loaded()
    pending: list[tuple[str, str, str, bytes, str]] = []
    for entry in tree.entries():
        name = entry.path.rsplit("/", 1)[-1]
        if entry.symlink:
            loaded.findings.append(make_finding("PATH-SYMLINK", entry.path, name=name))
            continue
        where = classify(entry.path)
        raw, size = tree.read_within(entry, MAX_BYTES)
        if raw is not None:
            loaded.blobs[entry.path] = git_blob_id(raw)
        if where.code:
            loaded.findings.append(
                make_finding(
                    where.code,
                    entry.path,
                    file=entry.path,
                    name=name,
                    kind=where.kind or "",
                    expected=where.expected,
                )
            )
            continue
        if raw is None:
            loaded.findings.append(
                make_finding("FILE-TOO-LARGE", entry.path, size=size, limit=MAX_BYTES)
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        loaded.inputs[entry.path] = digest
        pending.append((where.kind or "", where.key or "", entry.path, raw, digest))

    keys = [key_of("load", path, digest) for _kind, _key, path, _raw, digest in pending]
    hits = cache.get_many("load", keys) if cache is not None else {}
    fresh: dict[str, Any] = {}
    for (kind, key, path, raw, digest), cache_key in zip(pending, keys, strict=True):
        hit = hits.get(cache_key)
        record, findings = None, None
        if hit is not None:
            record, findings = _revive(hit, kind, key, path, raw, digest, cache)
        if findings is None:
            record, findings, entry = _load_file(kind, key, path, raw, cache)
            if cache is not None:
                fresh[cache_key] = pickled(entry)
        loaded.findings.extend(findings)
        if record is None:
            continue
        twin = loaded.records[record.kind].get(record.key)
        if twin is not None:
            loaded.findings.append(make_finding("PATH-DUPLICATE-RECORD", path, other=twin.path))
            continue
        loaded.records[record.kind][record.key] = record
    if cache is not None:
        cache.put_pickled("load", fresh)
    return loaded


def git_blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a file (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def _entry_of(record: Record | None, findings: list[Finding], data: Any) -> tuple:
    """What the cache keeps of a loaded file: plain values (not models) and findings.

    **Why** not the typed model: re-validating plain values is several times faster than
    unpickling pydantic models. A workbook keeps its cell positions; a YAML file's positions
    are found again from its bytes when a finding needs them.
    """
    if record is None:
        return ("none", None, findings)
    if record.path.endswith(".xlsx"):
        return ("xlsx", record.source, findings)
    return ("yaml", data, findings)


def _revive(
    entry: Any, kind: str, key: str, path: str, raw: bytes, digest: str, cache: Cache | None
) -> tuple[Record | None, list[Finding] | None]:
    """A cached load result as a record again (None findings: the entry cannot be used)."""
    try:
        form, value, findings = entry
        if form == "none":
            return None, list(findings)
        model_cls: type[BaseModel] = RECORD_MODELS[kind]
        if form == "xlsx":
            return Record(
                kind, key, path, model_cls.model_validate(value.data), value, digest
            ), list(findings)
        source = LazySource(raw, path, cache, digest)
        return Record(kind, key, path, model_cls.model_validate(value), source, digest), list(
            findings
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, None


POSITIONS = "positions"


class LazySource:
    """Where the values of a YAML record were written: found when first asked, in the cache
    (when one is given) or by parsing the file again.

    **Why:** most records never need a position (only those with findings do), and re-parsing
    one file is cheaper than storing the positions of every file; the records that do need
    them mostly need them again on the next run (`remember_positions`).
    """

    __slots__ = ("_cache", "_where", "digest", "fresh", "path", "raw")

    def __init__(self, raw: bytes, path: str, cache: Cache | None = None, digest: str = "") -> None:
        self.raw = raw
        self.path = path
        self.digest = digest
        self._cache = cache if digest else None
        self._where: tuple[dict, dict] | None = None
        self.fresh = False
        """Positions found by parsing in this run (not yet in the cache)."""

    def _positions(self) -> tuple[dict, dict]:
        if self._where is None:
            cache = self._cache
            kept = cache.get(POSITIONS, _positions_key(self.digest)) if cache else None
            if isinstance(kept, tuple) and len(kept) == 2:
                self._where = kept
            else:
                parsed = parse_yaml(self.raw, self.path)
                self._where = (parsed.positions, parsed.key_positions)
                self.fresh = cache is not None
        return self._where

    def locate(self, path: tuple) -> tuple[int, int]:
        return locate_in(self._positions()[0], path)

    def locate_key(self, path: tuple) -> tuple[int, int]:
        values, keys = self._positions()
        return keys.get(path) or locate_in(values, path)


def _positions_key(digest: str) -> str:
    return key_of(POSITIONS, digest)


def remember_positions(loaded: Loaded, cache: Cache) -> None:
    """Keep the positions this run parsed files again for (see `LazySource`)."""
    fresh = {}
    for record in loaded.all_records():
        source = record.source
        if isinstance(source, LazySource) and source.fresh and source._where is not None:
            fresh[_positions_key(source.digest)] = source._where
            source.fresh = False
    cache.put_many(POSITIONS, fresh)


def load_record(kind: str, key: str, path: str, raw: bytes) -> tuple[Record | None, list[Finding]]:
    """Parse and type one record file (YAML, or a Monitoring Report Sheet workbook)."""
    record, findings, _entry = _load_file(kind, key, path, raw)
    return record, findings


def _load_file(
    kind: str, key: str, path: str, raw: bytes, cache: Cache | None = None
) -> tuple[Record | None, list[Finding], tuple]:
    """`load_record`, and what the cache keeps of the file."""
    if path.endswith(".xlsx"):
        from generator.load.workbook import read_monitoring_workbook

        parsed = read_monitoring_workbook(raw, path, project=key.split("/")[0])
        # openpyxl's workbook, sheets and cells refer to each other: without this, every
        # workbook read while the collector is paused (see pipeline.paused_gc) would stay in
        # memory (650 KB each). Only the objects made since the last collection are scanned.
        gc.collect(0)
    else:
        parsed = parse_yaml(raw, path)
        parsed.findings.extend(_check_schema_line(kind, path, raw))
    findings = list(parsed.findings)
    if parsed.data is None:
        return None, findings, _entry_of(None, findings, None)
    model_cls: type[BaseModel] = RECORD_MODELS[kind]

    findings.extend(_check_field_paths(parsed, path, key))
    try:
        model = model_cls.model_validate(parsed.data)
    except ValidationError as exc:
        findings.extend(findings_from_validation_error(exc, model_cls, parsed, path, record=key))
        return None, findings, _entry_of(None, findings, None)
    digest = hashlib.sha256(raw).hexdigest()
    if path.endswith(".xlsx"):
        record = Record(kind, key, path, model, parsed, digest)
    else:
        # Positions are found again when a finding needs them (see LazySource): keeping them
        # for every record would double the memory of a large registry.
        record = Record(kind, key, path, model, LazySource(raw, path, cache, digest), digest)
    return record, findings, _entry_of(record, findings, parsed.data)


_STEP = re.compile(r"([A-Za-z0-9_]+)|\[(\d+)\]")


def resolve_field_path(data: Any, dotted: str) -> tuple[str | int, ...] | None:
    """`items[2].quantity` → `('items', 2, 'quantity')` if that value is written in `data`."""
    path: list[str | int] = []
    node = data
    for name, index in _STEP.findall(dotted):
        if name:
            if not isinstance(node, dict) or name not in node:
                return None
            node = node[name]
            path.append(name)
        else:
            i = int(index)
            if not isinstance(node, list) or i >= len(node):
                return None
            node = node[i]
            path.append(i)
    return tuple(path)


def _check_field_paths(parsed: ParsedYaml, path: str, key: str) -> list[Finding]:
    """Each `unverified`, `derived` and `conflicts` entry must name a field the record writes.

    **Why** on the raw data: so that the check runs even when other fields fail validation.
    """
    out = []
    data = parsed.data

    def entries(name: str) -> list:
        value = data.get(name)
        return value if isinstance(value, list) else []

    marks: list[tuple[tuple, Any]] = [
        (("unverified", i), dotted) for i, dotted in enumerate(entries("unverified"))
    ]
    for name in ("derived", "conflicts"):
        marks += [
            ((name, i, "field"), item.get("field"))
            for i, item in enumerate(entries(name))
            if isinstance(item, dict)
        ]
    for where, dotted in marks:
        if isinstance(dotted, str) and resolve_field_path(data, dotted) is None:
            line, col = parsed.locate(where)
            out.append(
                make_finding(
                    "SCHEMA-UNKNOWN-FIELD-PATH",
                    path,
                    line,
                    col,
                    record=key,
                    field=field_path(where),
                    value=dotted,
                )
            )
    return out


def _check_schema_line(kind: str, path: str, raw: bytes) -> list[Finding]:
    """Every record starts with the editor's schema line (completion and checks while typing)."""
    from generator.schema.jsonschema import header_for

    expected = header_for(kind, path)
    first = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    if first == expected:
        return []
    return [make_finding("FILE-SCHEMA-LINE", path, 1, 1, expected=expected)]
