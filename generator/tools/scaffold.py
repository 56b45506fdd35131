"""`jcm new`: a commented template of a record, under the identifier given, at its place.

Identifiers are assigned by the secretariat and the Joint Committees; this never guesses one,
and refuses to overwrite a record. Every field is present and commented — required fields with
a `<placeholder>` to fill, optional ones commented out — with what the field is, its allowed
values and an example, straight from the models (so the template cannot drift from them).
"""

from __future__ import annotations

import json
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.load.paths import classify
from generator.schema import RECORD_MODELS
from generator.schema.decision import DecisionItem
from generator.schema.jsonschema import header_for

KINDS = ("country", "decision", "methodology", "tpe", "project", "monitoring", "issuance")

PATHS = {
    "country": "data/countries/{id}.yaml",
    "decision": "data/decisions/{id}.yaml",
    "methodology": "data/methodologies/{id}.yaml",
    "tpe": "data/tpes/{id}.yaml",
    "project": "data/projects/{id}/project.yaml",
    "monitoring": "data/projects/{project}/monitoring/{rest}.yaml",
    "issuance": "data/projects/{project}/issuances/{rest}.yaml",
}

EXAMPLES = {
    "country": "MN",
    "decision": "MN/2026-01-24-5th-jc",
    "methodology": "MN_AM005 (approved) or MN_PM007 (proposed)",
    "tpe": "jqa",
    "project": "MN008, or MN_PIN002 for a planned project",
    "monitoring": "MN003/2021-01-01_2021-12-31",
    "issuance": "MN003/2026-01-30",
}


class ScaffoldError(ValueError):
    pass


@dataclass
class Scaffold:
    path: str
    text: str


def scaffold(kind: str, ident: str, root: Path) -> Scaffold:
    if kind not in KINDS:
        raise ScaffoldError(f"unknown record kind {kind!r}; one of: {', '.join(KINDS)}")
    project, _, rest = ident.partition("/")
    path = PATHS[kind].format(id=ident, project=project, rest=rest)
    where = classify(path)
    if where.kind != kind or where.code:
        raise ScaffoldError(f"{ident!r} is not a {kind} identifier (e.g. {EXAMPLES[kind]})")
    if (root / path).exists():
        raise ScaffoldError(f"{path} already exists: a record is never overwritten")
    if kind == "monitoring" and (root / path.replace(".yaml", ".xlsx")).exists():
        raise ScaffoldError(f"{path.replace('.yaml', '.xlsx')} already holds that period")
    fixed = _fixed(kind, ident)
    lines = [
        header_for(kind, path),
        f"# A new {kind} record. Fill every <placeholder>; uncomment the optional fields "
        "you have a public source for, and delete the others.",
        "# Unknown facts stay out: never a guess. See CONTRIBUTING.md and the data contract.",
    ]
    lines += _emit(RECORD_MODELS[kind], 0, fixed)
    return Scaffold(path, "\n".join(lines) + "\n")


def _fixed(kind: str, ident: str) -> dict[str, Any]:
    if kind == "country":
        return {"code": ident}
    if kind == "decision":
        country, stem = ident.split("/")
        return {"country": country, "date": stem[:10]}
    if kind in ("methodology", "project"):
        return {"id": ident, "country": ident[:2]}
    if kind == "tpe":
        return {"id": ident}
    project, rest = ident.split("/")
    if kind == "monitoring":
        start, end = rest.split("_")
        return {"project": project, "period": {"start": start, "end": end}}
    return {"project": project, "notified_on": rest}


# ---------------------------------------------------------------------------------------------


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """The annotation without Annotated/Optional, and whether None is allowed."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            inner, _ = _unwrap(args[0])
            return inner, True
        return tp, type(None) in typing.get_args(tp)
    return tp, False


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _kind(field: FieldInfo) -> str:
    from generator.render.records import describe_field

    return re.sub(r"\[([A-Za-z]+)\]\(#[a-z]+\)", r"\1", describe_field(field)).replace("`", "")


def _placeholder(field: FieldInfo) -> str:
    kind = _kind(field)
    if kind.startswith("date"):
        return "<date YYYY-MM-DD>"
    if "version like" in kind and "@" not in kind:
        return '"<version like 02.0>"'
    if "number" in kind:
        return "<number>"
    if "web address" in kind:
        return "<https://public address>"
    if kind.startswith("yes/no"):
        return "<true or false>"
    return f"<{kind.split(',')[0]}>"


def _value(field: FieldInfo, value: Any) -> str:
    """An example written as YAML for this field: numbers and dates bare, versions quoted."""
    kind = _kind(field)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) or (
        kind and ("number" in kind or kind.startswith("date")) and isinstance(value, str)
    ):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _comment(field: FieldInfo) -> str:
    required = "required" if field.is_required() else "optional"
    example = field.examples[0] if field.examples else None
    shown = ""
    if example not in (None, [], {}):
        shown = json.dumps(example, ensure_ascii=False, default=str)
    return f"{required} — {field.description} ({_kind(field)}){'; e.g. ' + shown if shown else ''}"


def _fields(model: type[BaseModel]) -> list[str]:
    """A record kind's own fields first, then the provenance fields every record has."""
    from generator.schema.base import RecordBase

    names = list(model.model_fields)
    if issubclass(model, RecordBase):
        common = list(RecordBase.model_fields)
        names = [n for n in names if n not in common] + common
    return names


def _emit(
    model: type[BaseModel], indent: int, fixed: dict[str, Any], commented: bool = False
) -> list[str]:
    """The fields of `model`, one line (or block) each; `commented` comments them all out."""
    pad = " " * indent
    out: list[str] = []
    for name in _fields(model):
        field = model.model_fields[name]
        tp, _nullable = _unwrap(field.annotation)
        origin = typing.get_origin(tp)
        active = (field.is_required() or name in fixed) and not commented
        mark = "" if active else "# "
        note = f"  # {_comment(field)}"
        if name in fixed and not isinstance(fixed[name], dict):
            out.append(f"{pad}{name}: {_value(field, fixed[name])}{note}")
            continue
        if _is_model(tp):
            out.append(f"{pad}{mark}{name}:{note}")
            inner_fixed = fixed.get(name) if isinstance(fixed.get(name), dict) else {}
            out += _emit(tp, indent + 2, inner_fixed, commented=not active)
            continue
        if origin is list:
            (inner,) = typing.get_args(tp)
            inner, _ = _unwrap(inner)
            if _is_item_union(inner):
                out += _decision_items(pad)
                continue
            if _is_model(inner):
                out.append(f"{pad}{mark}{name}:{note}")
                body = _emit(inner, indent + 4, {}, commented=not active)
                if active and all(line.lstrip().startswith("#") for line in body):
                    # a required list whose items have only optional fields: the first one
                    # is made active, with a placeholder, so the list is not empty
                    first_name = _fields(inner)[0]
                    body[0] = (
                        f"{pad}    {first_name}: "
                        f"{_placeholder(inner.model_fields[first_name])}"
                        f"  # {_comment(inner.model_fields[first_name])}"
                    )
                if body:
                    out.append(_list_head(body[0], pad, not active))
                    out += body[1:]
                continue
            out.append(f"{pad}{mark}{name}: []{note}")
            continue
        if origin is dict:
            out.append(f"{pad}# {name}: {{}}{note}")
            continue
        if active:
            out.append(f"{pad}{name}: {_placeholder(field)}{note}")
            continue
        example = field.examples[0] if field.examples else None
        if example is None or isinstance(example, dict | list):
            shown = _placeholder(field)
        else:
            shown = _value(field, example)
        out.append(f"{pad}# {name}: {shown}{note}")
    return out


def _list_head(line: str, pad: str, commented: bool) -> str:
    """The first line of a list item's block gets the `- ` marker."""
    body = line.lstrip()
    if body.startswith("# "):
        body = body[2:]
    return f"{pad}  {'# ' if commented else ''}- {body}"


def _is_item_union(tp: Any) -> bool:
    return any(_is_model(a) and "type" in a.model_fields for a in typing.get_args(tp))


def _decision_items(pad: str) -> list[str]:
    """One item to fill (an `other` item), and a commented template of every item kind."""
    out = [
        f"{pad}items:  # required — what the JC decided, one typed item per act",
        f'{pad}  - id: "1"  # unique in this decision',
        f"{pad}    type: other  # replace with one of the kinds below when one fits",
        f"{pad}    text: <text of the decision, in its words>",
        f"{pad}  # Item kinds (copy one, fill it, and give it its own id):",
    ]
    union = typing.get_args(typing.get_args(DecisionItem)[0])
    for item in union:
        kind = item.model_fields["type"].annotation.__args__[0]
        out.append(f'{pad}  # - id: "2"')
        out.append(f"{pad}  #   type: {kind}")
        for name, field in item.model_fields.items():
            if name in ("id", "type"):
                continue
            mark = "" if field.is_required() else "(optional) "
            example = field.examples[0] if field.examples else ""
            shown = json.dumps(example, ensure_ascii=False, default=str)
            out.append(f"{pad}  #   {name}: {shown}  # {mark}{field.description}")
    return out
