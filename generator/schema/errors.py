"""Turn pydantic's validation errors into findings a secretariat member can act on.

Each error is placed at the line and column where the offending key or value was written,
named by a readable field path (`items[2].project`), and worded from `messages.yaml`.
"""

from __future__ import annotations

import difflib
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml
from pydantic import BaseModel, ValidationError

from generator.findings import Finding, make_finding


class Located(Protocol):
    """What the loader knows of a parsed file (see generator.load.yaml_source.ParsedYaml)."""

    data: Any
    bool_texts: dict[tuple, str]
    reported: set[tuple]

    def locate(self, path: tuple) -> tuple[int, int]: ...

    def locate_key(self, path: tuple) -> tuple[int, int]: ...


@cache
def _messages() -> dict[str, Any]:
    text = resources.files("generator.schema").joinpath("messages.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def field_path(path: tuple) -> str:
    """`('items', 2, 'project')` → `items[2].project`."""
    out = ""
    for elem in path:
        if isinstance(elem, int):
            out += f"[{elem}]"
        else:
            out += f".{elem}" if out else str(elem)
    return out or "the record"


def _clean_loc(loc: tuple, data: Any, missing: bool) -> tuple:
    """Keep only the loc elements that name data: drop union tags and validator labels."""
    path: list[Any] = []
    node = data
    elems = list(loc)
    for index, elem in enumerate(elems):
        last = index == len(elems) - 1
        if (isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node)) or (
            isinstance(node, dict) and isinstance(elem, str) and elem in node
        ):
            path.append(elem)
            node = node[elem]
        elif isinstance(node, dict) and isinstance(elem, str) and missing and last:
            path.append(elem)
        # anything else is a label pydantic adds (a union member, a tag, a validator)
    return tuple(path)


def _describe(value: Any) -> str:
    got = _messages()["got"]
    return got.get(type(value).__name__, type(value).__name__)


def _unwrap(tp: Any) -> list[Any]:
    """The concrete alternatives of an annotation (Annotated and Optional removed)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(tp):
            if arg is not type(None):
                out.extend(_unwrap(arg))
        return out
    return [tp]


def _model_at(model: type[BaseModel], data: Any, path: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path` (best effort, for suggestions)."""
    current: Any = model
    node = data
    for elem in path:
        nxt = None
        for alt in _unwrap(current):
            origin = typing.get_origin(alt)
            if isinstance(alt, type) and issubclass(alt, BaseModel) and isinstance(elem, str):
                if elem in alt.model_fields:
                    nxt = alt.model_fields[elem].annotation
                    break
            elif origin is list and isinstance(elem, int):
                nxt = typing.get_args(alt)[0]
                break
            elif origin is dict and isinstance(elem, str):
                nxt = typing.get_args(alt)[1]
                break
        if nxt is None:
            return None
        current = nxt
        node = node[elem] if isinstance(node, dict | list) else None
        # A discriminated union: choose the member whose `type` matches the data.
        alts = _unwrap(current)
        if len(alts) > 1 and isinstance(node, dict) and "type" in node:
            for alt in alts:
                if isinstance(alt, type) and issubclass(alt, BaseModel):
                    tag = alt.model_fields.get("type")
                    if tag is not None and node["type"] in typing.get_args(tag.annotation):
                        current = alt
                        break
    for alt in _unwrap(current):
        if isinstance(alt, type) and issubclass(alt, BaseModel):
            return alt
    return None


def findings_from_validation_error(
    exc: ValidationError,
    model: type[BaseModel],
    parsed: Located,
    path: str,
    record: str = "",
) -> list[Finding]:
    """One finding per distinct place pydantic complains about, in plain words."""
    table = _messages()["errors"]
    data = parsed.data
    out: list[Finding] = []
    seen: set[tuple] = set()
    for error in exc.errors(include_url=False):
        kind = error["type"]
        missing = kind in ("missing", "union_tag_not_found")
        loc = _clean_loc(error["loc"], data, missing)
        if kind in ("union_tag_not_found", "union_tag_invalid"):
            loc = (*loc, "type")
        at = (error.get("ctx") or {}).get("at")
        if isinstance(at, str):
            loc = (*loc, *_dotted(at))
        if loc in seen or _already_reported(loc, parsed.reported):
            continue  # one finding per place: a union reports each alternative's complaint
        seen.add(loc)
        spec = table.get(kind, {"code": "SCHEMA-INVALID"})
        code = spec["code"]
        params = _params(kind, error, spec, model, data, loc)
        if missing:
            line, col = parsed.locate_key(loc[:-1])
        else:
            at_key = kind == "extra_forbidden"
            line, col = parsed.locate_key(loc) if at_key else parsed.locate(loc)
        if loc in parsed.bool_texts:
            params["value"] = parsed.bool_texts[loc]
        out.append(make_finding(code, path, line, col, record=record, **params))
    return out


def _dotted(text: str) -> tuple:
    """`conflicts[0].values[1].source` → `('conflicts', 0, 'values', 1, 'source')`."""
    out: list[Any] = []
    for part in text.split("."):
        name, _, rest = part.partition("[")
        out.append(name)
        for index in rest.replace("]", "").split("[") if rest else ():
            out.append(int(index))
    return tuple(out)


def _already_reported(loc: tuple, reported: set[tuple]) -> bool:
    """A YAML finding already covers this value (or the mapping it should have been in)."""
    return any(loc[: len(r)] == r for r in reported if r) or (() in reported and not loc)


def _params(
    kind: str,
    error: Any,
    spec: dict[str, Any],
    model: type[BaseModel],
    data: Any,
    loc: tuple,
) -> dict[str, Any]:
    messages = _messages()
    ctx = error.get("ctx") or {}
    value = error.get("input")
    name = loc[-1] if loc else ""
    params: dict[str, Any] = {
        "field": field_path(loc),
        "within": f" in `{field_path(loc)}`" if loc else "",
        "name": name,
        "value": _show(value),
        "detail": error.get("msg", ""),
    }
    if kind == "extra_forbidden":
        parent = _model_at(model, data, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(name), allowed, n=1)
        params["allowed"] = ", ".join(allowed) or "?"
        params["suggestion"] = f"did you mean `{close[0]}`? " if close else ""
    elif kind in ("literal_error", "union_tag_invalid", "enum"):
        expected = ctx.get("expected") or ctx.get("expected_tags") or "?"
        params["expected"] = str(expected).replace("'", "")
        if kind == "union_tag_invalid":
            params["value"] = _show(ctx.get("tag", value))
    elif kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        params["expected"] = messages["formats"].get(pattern, f"text matching {pattern}")
    elif kind in ("string_too_long", "too_long"):
        params["limit"] = ctx.get("max_length", "?")
        params["length"] = len(value) if isinstance(value, str | list) else "?"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        params["expected"] = f"{words} {bound}"
    elif spec.get("expected"):
        expected = spec["expected"]
        got = _describe(value)
        params["expected"] = expected
        params["got"] = got
        hint = messages["hints"].get(f"{expected}|{got}")
        params["hint"] = hint or f"write {expected}"
    elif kind in ("duplicate_id",):
        params["what"] = ctx.get("what", "id")
        params["ids"] = ctx.get("ids", "?")
    params.update({k: v for k, v in ctx.items() if isinstance(v, str) and k != "at"})
    return params


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return "…"
    if isinstance(value, datetime | date | Decimal):
        return str(value)
    return str(value)
