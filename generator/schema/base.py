"""The strict base model and the small types every record kind is built from.

Every field carries a description and an example (a test checks it): they become the editor's
completion hints through the JSON Schemas and the field reference on the site.
"""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticUndefined

# ---------------------------------------------------------------------------------------------
# Field helper


def F(description: str, example: Any, default: Any = PydanticUndefined, **kw: Any) -> Any:
    """A field with its description and one example (both mandatory in this registry)."""
    return Field(default, description=description, examples=[example], **kw)


class StrictModel(BaseModel):
    """Refuses unknown keys and silent type coercion: what a record says is what it means."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        use_attribute_docstrings=False,
        regex_engine="python-re",
    )


# ---------------------------------------------------------------------------------------------
# Numbers: exact decimals from the YAML text, never binary floats


def _to_decimal(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "a number is expected here, not yes/no")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Only reachable from code, not from YAML: shortest representation, never the binary.
        return Decimal(repr(value))
    if isinstance(value, str):
        raise PydanticCustomError(
            "number_quoted", "a number is expected here, not text", {"value": value}
        )
    return value


def _to_int(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "a whole number is expected here, not yes/no")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        raise PydanticCustomError(
            "whole_number_written_as_decimal",
            "a whole number is expected here",
            {"value": str(value)},
        )
    if isinstance(value, str):
        raise PydanticCustomError(
            "number_quoted", "a number is expected here, not text", {"value": value}
        )
    return value


Number = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    WithJsonSchema({"type": "number"}),
]
"""An exact decimal number, read from its YAML text."""

NonNegativeNumber = Annotated[Number, Field(ge=0)]

WholeNumber = Annotated[int, BeforeValidator(_to_int), Field(ge=0)]
"""A count or a quantity of credits (tCO2e): a whole, non-negative number."""

# ---------------------------------------------------------------------------------------------
# Text


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length)]


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
"""Free narrative text; may contain Markdown, which the site renders and then sanitises."""

Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://[^\s<>\"'`]+$", max_length=2_000),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
"""A public web address (http or https only)."""


def _to_version(value: Any) -> Any:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        raise PydanticCustomError(
            "version_unquoted",
            "a version must be written in quotes",
            {"value": str(value)},
        )
    return value


Version = Annotated[
    str,
    BeforeValidator(_to_version),
    StringConstraints(pattern=r"^\d{2}\.\d$"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}\.\d$", "examples": ["02.0"]}),
]
"""A document or methodology version as in file names: `"02.0"` (shown as Ver2.0)."""


def display_version(version: str) -> str:
    """`"02.0"` → `Ver2.0` (how jcm.go.jp prints a version)."""
    major, minor = version.split(".")
    return f"Ver{int(major)}.{minor}"


def shown_version(ref: str) -> str:
    """`"MN_AM003@03.0"` → `MN_AM003 Ver3.0`; a reference without a version is left as it is."""
    mid, _, version = ref.partition("@")
    try:
        return f"{mid} {display_version(version)}" if version else ref
    except ValueError:
        return ref


# ---------------------------------------------------------------------------------------------
# Identifiers (formats from the data contract)

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
ApprovedMethodologyId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}_AM\d{3}$")]
ProposedMethodologyId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}_PM\d{3}$")]
MethodologyId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}_(AM|PM)\d{3}$")]
MethodologyVersionRef = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}_AM\d{3}@\d{2}\.\d$")]
ProjectId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}\d{3}$")]
PinId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}_PIN\d{3}$")]
ProjectOrPinId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(\d{3}|_PIN\d{3})$")]
TpeSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
TpeNumber = Annotated[str, StringConstraints(pattern=r"^TPE-[A-Z]{2}-\d{3}$")]
TpeRef = Annotated[
    str,
    StringConstraints(pattern=r"^(TPE-[A-Z]{2}-\d{3}|[a-z0-9]+(-[a-z0-9]+)*)$", max_length=60),
]
"""A TPE by its organisation slug (`jqa`) or by a country's designation number (`TPE-VN-002`)."""
DecisionItemRef = Annotated[
    str,
    StringConstraints(
        pattern=r"^[A-Z]{2}/\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*#[A-Za-z0-9._-]+$"
    ),
]
"""`<CC>/<decision file stem>#<item id>`, e.g. `MN/2016-09-29-4th-jc#3`."""
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
LocalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
"""An identifier unique inside one record (an item id, a source id, a unit id)."""
FieldPath = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+|\[\d+\])*$")
]
"""A path to a field of this record: `registration.date`, `items[2].quantity`."""
SectoralScope = Annotated[int, BeforeValidator(_to_int), Field(ge=1, le=15)]
"""A JCM sectoral scope, CDM numbering 1–15."""

Side = Literal["japan", "partner"]
Function = Literal["validation", "verification"]
MonitoringOption = Literal["A", "B", "C"]
Opinion = Literal["positive", "negative"]


# ---------------------------------------------------------------------------------------------
# Shared building blocks


class Period(StrictModel):
    """A closed interval of days: an N-day window has end − start + 1 = N."""

    start: date = F("First day of the period (included).", "2017-08-26")
    end: date = F("Last day of the period (included).", "2018-05-31")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError(
                "period_reversed",
                "the period ends before it starts",
                {"start": str(self.start), "end": str(self.end)},
            )
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Source(StrictModel):
    """A public source a record's facts were read in."""

    id: LocalId = F("Short id of this source, unique in the record; cited by `conflicts`.", "R1")
    title: Text = F("What the source is, as a person would cite it.", "JCM project list")
    url: Url = F("Public address of the source.", "https://www.jcm.go.jp/jc/mn-projects/")
    accessed: date | None = F("Day the source was read.", "2026-06-04", default=None)
    via: Text | None = F(
        "Set when the source was read through a third-party copy: which copy.",
        "scrape in github.com/create-to-solve/carbon-registry-intelligence-db, commit 5a701a3",
        default=None,
    )


class Document(StrictModel):
    """A link to the public version of a document (confidential versions are never linked)."""

    title: Text = F("Title of the document.", "JCM Validation Report Form (MN003)")
    url: Url = F("Public address of the document.", "https://www.jcm.go.jp/mn-jp/projects/3")
    kind: Slug | None = F(
        "What the document is: pdd, validation-report, monitoring-report, verification-report, "
        "methodology, spreadsheet, meeting-report, annex, other.",
        "validation-report",
        default=None,
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = F(
        "Language of the document (ISO 639-1), when not English.", "ja", default=None
    )


class Derivation(StrictModel):
    """A field whose value was worked out from read material rather than read directly."""

    field: FieldPath = F("Path of the derived field in this record.", "date")
    method: Text = F(
        "How it was derived.", "registration date printed on the official project list"
    )


class ConflictValue(StrictModel):
    value: Annotated[str, StringConstraints(min_length=1, max_length=500)] | Number | date = F(
        "A value one source gives.", "2.1 MW"
    )
    source: LocalId = F("Id of the source (in `sources`) that gives it.", "R1")


class Conflict(StrictModel):
    """Sources that disagree on a field: both are kept, and the site shows the conflict."""

    field: FieldPath = F("Path of the field the sources disagree on.", "title")
    values: list[ConflictValue] = F(
        "Each value with the source that gives it.",
        [{"value": "2.1MW", "source": "VR"}, {"value": "12.7 MW", "source": "R1"}],
        min_length=2,
    )
    note: Text | None = F("What is known about the disagreement.", "unresolved", default=None)


class RecordBase(StrictModel):
    """Provenance shared by every record kind."""

    sources: list[Source] = F(
        "The public sources this record's facts were read in.",
        [{"id": "R1", "title": "JCM project list", "url": "https://www.jcm.go.jp/jc/mn-projects/"}],
        min_length=1,
    )
    unverified: list[FieldPath] = F(
        "Fields whose value was not read in a source (the site marks them).",
        ["location.latitude"],
        default_factory=list,
    )
    derived: list[Derivation] = F(
        "Fields whose value was derived from read material, and how.",
        [{"field": "date", "method": "registration date on the official list"}],
        default_factory=list,
    )
    conflicts: list[Conflict] = F("Fields on which sources disagree.", [], default_factory=list)
    notes: LongText | None = F(
        "Anything a reader should know about this record (Markdown).",
        "Title changed after validation.",
        default=None,
    )

    @model_validator(mode="after")
    def _provenance_consistent(self) -> RecordBase:
        unique_ids(self.sources, "id", "source", "sources")
        ids = {s.id for s in self.sources}
        for i, conflict in enumerate(self.conflicts):
            for j, value in enumerate(conflict.values):
                if value.source not in ids:
                    raise PydanticCustomError(
                        "unknown_source",
                        "a conflict cites a source not listed in `sources`",
                        {"value": value.source, "at": f"conflicts[{i}].values[{j}].source"},
                    )
        return self


def unique_ids(items: list[Any], attr: str, what: str, at: str) -> None:
    """Raise an error at the first repeated `attr` among `items` (the list field `at`)."""
    seen: set[Any] = set()
    for index, item in enumerate(items):
        value = getattr(item, attr)
        if value is None:
            continue
        if value in seen:
            raise PydanticCustomError(
                "duplicate_id",
                "ids must be unique",
                {"what": what, "ids": str(value), "at": f"{at}[{index}].{attr}"},
            )
        seen.add(value)


def nested_models(tp: Any, out: list[type[BaseModel]] | None = None) -> list[type[BaseModel]]:
    """Every model class reachable from an annotation, in first-seen order."""
    out = [] if out is None else out
    origin = typing.get_origin(tp)
    if origin in (typing.Annotated, typing.Union, types.UnionType, list, dict):
        for arg in typing.get_args(tp):
            nested_models(arg, out)
    elif isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in out:
        out.append(tp)
        for field in tp.model_fields.values():
            nested_models(field.annotation, out)
    return out
