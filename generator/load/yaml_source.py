"""Read one YAML file into plain data with positions, exact decimals and findings.

Safe by construction: libyaml composes the node graph, and this module builds the values
itself, accepting only the core tags (mapping, sequence, text, integer, decimal, yes/no, null,
date). Anything else — object-constructing tags, aliases, merge keys, duplicate keys, deep
nesting — becomes a finding, never an exception and never an object.

**Why** not `yaml.safe_load`: it silently keeps the last of duplicate keys, turns `2.0` into a
binary float, expands alias bombs and forgets where each value was written. Records need all
four the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from generator.findings import Finding, make_finding

try:  # libyaml is part of the PyYAML wheels; the pure-Python parser is the fallback.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40
MAX_BYTES = 2_000_000

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_timestamp = yaml.constructor.SafeConstructor()


@dataclass
class ParsedYaml:
    """The data of one YAML file and where each value and key was written (1-based)."""

    data: Any = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    bool_texts: dict[Path, str] = field(default_factory=dict)
    """The written text of values YAML read as yes/no (`NO`, `on`): messages quote it."""
    reported: set[Path] = field(default_factory=set)
    """Paths whose value already has a YAML finding: the schema stays silent about them."""
    findings: list[Finding] = field(default_factory=list)

    def locate(self, path: Path) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest written ancestor."""
        return locate_in(self.positions, path)

    def locate_key(self, path: Path) -> tuple[int, int]:
        """Line and column of the key that names `path` (falls back to `locate`)."""
        return self.key_positions.get(path) or locate_in(self.positions, path)


def locate_in(positions: dict[Path, tuple[int, int]], path: Path) -> tuple[int, int]:
    """Line and column of the value at `path` in `positions`, or of its nearest written
    ancestor (1, 1 if none)."""
    for end in range(len(path), -1, -1):
        pos = positions.get(path[:end])
        if pos:
            return pos
    return (1, 1)


class _Stop(Exception):
    """Internal: the file cannot be read further (the finding is already recorded)."""


def parse_yaml(raw: bytes, path: str) -> ParsedYaml:
    """Parse the bytes of a record file. Never raises for bad data: problems are findings."""
    out = ParsedYaml()
    text = _decode(raw, path, out)
    if text is None:
        return out
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        out.findings.append(make_finding("YAML-EMPTY", path))
        return out
    if _find_tabs(text, path, out):
        return out
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        out.findings.append(_syntax_finding(exc, path))
        return out
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        out.findings.append(make_finding("YAML-SYNTAX", path, problem=str(exc)))
        return out
    except RecursionError:
        out.findings.append(make_finding("YAML-TOO-DEEP", path, limit=MAX_DEPTH))
        return out
    if node is None:
        out.findings.append(make_finding("YAML-EMPTY", path))
        return out
    builder = _Builder(path, out)
    try:
        data = builder.build(node, (), 0)
    except _Stop:
        return out
    if not isinstance(data, dict):
        line, col = _pos(node)
        out.findings.append(make_finding("YAML-NOT-MAPPING", path, line, col))
        return out
    out.data = data
    return out


def _decode(raw: bytes, path: str, out: ParsedYaml) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        out.findings.append(make_finding("YAML-ENCODING", path, detail="UTF-16 or UTF-32"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        out.findings.append(
            make_finding("YAML-ENCODING", path, line, col, detail=f"byte 0x{raw[exc.start]:02x}")
        )
        return None
    if "\x00" in text:
        out.findings.append(make_finding("YAML-ENCODING", path, detail="a NUL character"))
        return None
    return text


def _find_tabs(text: str, path: str, out: ParsedYaml) -> bool:
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip() and not line.lstrip().startswith("#"):
            out.findings.append(make_finding("YAML-TAB", path, number, indent.index("\t") + 1))
            found = True
    return found


def _syntax_finding(exc: yaml.MarkedYAMLError, path: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or exc.context or "").strip()
    if "expected a single document" in problem or "but found another document" in problem:
        return make_finding("YAML-MULTIPLE-DOCUMENTS", path, line, col)
    if "maximum nesting depth" in problem:
        return make_finding("YAML-TOO-DEEP", path, line, col, limit=MAX_DEPTH)
    return make_finding("YAML-SYNTAX", path, line, col, problem=problem or "unreadable text")


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node graph into plain values, recording positions and findings."""

    def __init__(self, path: str, out: ParsedYaml) -> None:
        self.path = path
        self.out = out
        self.seen: set[int] = set()

    def fail(self, code: str, node: yaml.Node, where: Path | None = None, **params: Any) -> None:
        line, col = _pos(node)
        self.out.findings.append(make_finding(code, self.path, line, col, **params))
        if where is not None:
            self.out.reported.add(where)

    def build(self, node: yaml.Node, where: Path, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.fail("YAML-TOO-DEEP", node, limit=MAX_DEPTH)
            raise _Stop
        if id(node) in self.seen:
            # The same node reached twice is an alias (`*name`): refused before it can expand.
            self.fail("YAML-ALIAS", node)
            raise _Stop
        self.seen.add(id(node))
        self.out.positions[where] = _pos(node)
        tag = node.tag or ""
        if isinstance(node, yaml.MappingNode):
            if tag != _TAG + "map":
                self.fail("YAML-TAG", node, where, tag=tag)
                return None
            return self.build_mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if tag != _TAG + "seq":
                self.fail("YAML-TAG", node, where, tag=tag)
                return None
            return [self.build(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        value = self.build_scalar(node, where)
        if isinstance(value, bool):
            self.out.bool_texts[where] = node.value
        return value

    def build_mapping(self, node: yaml.MappingNode, where: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("YAML-COMPLEX-KEY", key_node, where)
                continue
            if key_node.tag == _TAG + "merge":
                self.fail("YAML-MERGE-KEY", key_node)
                raise _Stop
            if not key_node.tag.startswith(_TAG):
                self.fail("YAML-TAG", key_node, where, tag=key_node.tag)
                continue
            key = key_node.value
            if key in first_seen:
                self.fail("YAML-DUPLICATE-KEY", key_node, key=key, first_line=first_seen[key])
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.out.key_positions[(*where, key)] = _pos(key_node)
            result[key] = self.build(value_node, (*where, key), depth + 1)
        return result

    def build_scalar(self, node: yaml.ScalarNode, where: Path) -> Any:
        tag, value = node.tag, node.value
        if tag == _TAG + "str":
            return value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return value.lower() in ("yes", "true", "on", "y")
        if tag == _TAG + "int":
            if _INT_RE.match(value):
                return int(value.replace("_", ""))
            self.fail("YAML-AMBIGUOUS-NUMBER", node, where, value=value)
            return value
        if tag == _TAG + "float":
            return self.build_decimal(node, where)
        if tag == _TAG + "timestamp":
            try:
                stamp = _timestamp.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                self.fail("YAML-BAD-DATE", node, where, value=value)
                return value
            if isinstance(stamp, datetime):
                return stamp
            return date(stamp.year, stamp.month, stamp.day)
        self.fail("YAML-TAG", node, where, tag=tag)
        return None

    def build_decimal(self, node: yaml.ScalarNode, where: Path) -> Any:
        text = node.value.replace("_", "")
        if ":" in text or text.lower().lstrip("+-") in (".inf", ".nan"):
            self.fail("YAML-AMBIGUOUS-NUMBER", node, where, value=node.value)
            return node.value
        try:
            return Decimal(text)
        except InvalidOperation:
            self.fail("YAML-AMBIGUOUS-NUMBER", node, where, value=node.value)
            return node.value
