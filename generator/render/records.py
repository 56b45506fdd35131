"""The record reference page: every record kind's fields, generated from the models.

**Why** generated: the models are the contract; a page written by hand would drift from them.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.load.paths import PLACES
from generator.render.markdown import render_template
from generator.render.views import WORDS_AS_WRITTEN
from generator.schema import RECORD_MODELS
from generator.schema.base import nested_models
from generator.schema.errors import _messages


def _pattern(tp: typing.Any) -> str | None:
    for meta in getattr(tp, "__metadata__", ()):
        pattern = getattr(meta, "pattern", None)
        if pattern:
            return pattern
    return None


def describe_field(field: FieldInfo) -> str:
    """A field's kind of value in words, including the constraints pydantic moved off the
    annotation (patterns, the exact-number and version validators)."""
    pattern = next((m.pattern for m in field.metadata if getattr(m, "pattern", None)), None)
    if pattern:
        return _messages()["formats"].get(pattern, "text")
    for meta in field.metadata:
        name = getattr(getattr(meta, "func", None), "__name__", "")
        if name == "_to_int":
            return "whole number"
        if name == "_to_decimal":
            return "number (exact decimal)"
        if name == "_to_version":
            return 'version like "02.0"'
    return describe_type(field.annotation)


def describe_type(tp: typing.Any) -> str:
    """A person's words for an annotation: `list of Participant`, `date`, `one of a, b`."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base = typing.get_args(tp)[0]
        pattern = _pattern(tp)
        if pattern:
            return _messages()["formats"].get(pattern, "text")
        for meta in tp.__metadata__:
            if getattr(meta, "__class__", None).__name__ == "BeforeValidator":
                name = getattr(meta.func, "__name__", "")
                if name == "_to_int":
                    return "whole number"
                if name == "_to_decimal":
                    return "number (exact decimal)"
                if name == "_to_version":
                    return 'version like "02.0"'
        return describe_type(base)
    if origin in (typing.Union, types.UnionType):
        parts = [describe_type(a) for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is list:
        return f"list of {describe_type(typing.get_args(tp)[0])}"
    if origin is dict:
        key, value = typing.get_args(tp)
        return f"mapping of {describe_type(key)} → {describe_type(value)}"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(tp))
    if tp is str:
        return "text"
    if tp is bool:
        return "yes/no"
    if tp is int:
        return "whole number"
    if tp is Decimal:
        return "number (exact decimal)"
    if tp is date:
        return "date (YYYY-MM-DD)"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{part_name(tp)}](#{tp.__name__.lower()})"
    return getattr(tp, "__name__", str(tp))


def part_name(model: type) -> str:
    """A model's name as words: `JointCommittee` → "Joint committee", `DesignateTpe` →
    "Designate TPE" (the anchor keeps the class name, as the JSON schemas do)."""
    words = re.findall(r"[A-Z][a-z0-9]*", model.__name__) or [model.__name__]
    shown = [
        WORDS_AS_WRITTEN.get(w.lower(), w if n == 0 else w.lower()) for n, w in enumerate(words)
    ]
    return " ".join(shown)


def _example(field: FieldInfo) -> str:
    if not field.examples:
        return ""
    value = field.examples[0]
    return json.dumps(value, ensure_ascii=False, default=str)


def model_rows(model: type[BaseModel]) -> list[dict[str, str]]:
    rows = []
    for name, field in model.model_fields.items():
        rows.append(
            {
                "name": name,
                "type": describe_field(field),
                "required": "required" if field.is_required() else "optional",
                "description": field.description or "",
                "example": _example(field),
            }
        )
    return rows


def render_records_page() -> str:
    kinds = []
    seen: list[type[BaseModel]] = []
    for kind, model in RECORD_MODELS.items():
        place = next(p for p in PLACES if p.kind == kind)
        parts = [p for p in nested_models(model) if p not in seen]
        seen.extend(parts)
        kinds.append(
            {
                "kind": kind,
                "model": model,
                "doc": inspect.cleandoc(model.__doc__ or ""),
                "path": place.expected,
                "parts": [(p, inspect.cleandoc(p.__doc__ or ""), model_rows(p)) for p in parts],
            }
        )
    return render_template("records.md.j2", kinds=kinds, part_name=part_name)
