"""Reference tables kept as data under `data/reference/`: the lists rules look things up in.

**Why** data and not code: the list of mechanisms that count as double registration, the rule
documents with their parameters and defaults, the financing programmes and the sectoral scopes
all change by decision of people, not of programmers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from generator.schema.base import (
    F,
    LocalId,
    Number,
    RecordBase,
    SectoralScope,
    ShortText,
    Slug,
    StrictModel,
    Text,
    Url,
    unique_ids,
)


class RuleParameter(StrictModel):
    id: Slug = F("Parameter id used in decisions.", "electronic-decision-days")
    description: Text = F(
        "What the parameter limits.",
        "Calendar days after distribution within which a negative assertion blocks adoption",
    )
    unit: Literal["days", "members", "count", "years"] = F("Unit of the value.", "days")
    default: Number | None = F("Value applied when no adopted version states it.", 20, default=None)
    default_source: LocalId | None = F(
        "Source (in `sources`) of the default.", "OV2013", default=None
    )
    default_basis: Literal["adopted", "draft", "unverified"] | None = F(
        "Whether the default was read in an adopted document, in a draft (the 2013 overview), "
        "or is unverified; a breach of a draft or unverified limit is a warning.",
        "draft",
        default=None,
    )
    always_warning: bool = F(
        "A breach is only ever a warning (e.g. JC consideration, overrun in practice).",
        False,
        default=False,
    )


class RuleDocument(StrictModel):
    id: Slug = F("Rule document id used in decisions.", "rules-of-procedure")
    title: Text = F("Title.", "Rules of Procedures for the Joint Committee")
    parameters: list[RuleParameter] = F(
        "Rule parameters the document sets.", [], default_factory=list
    )


class RuleDocuments(RecordBase):
    """`data/reference/rule-documents.yaml`: rule documents, their parameters and defaults."""

    documents: list[RuleDocument] = F(
        "The rule documents.", [{"id": "glossary", "title": "Glossary of Terms"}], min_length=1
    )

    @model_validator(mode="after")
    def _unique(self) -> RuleDocuments:
        unique_ids(self.documents, "id", "document", "documents")
        seen: set[str] = set()
        for i, document in enumerate(self.documents):
            for j, parameter in enumerate(document.parameters):
                if parameter.id in seen:
                    raise PydanticCustomError(
                        "duplicate_id",
                        "ids must be unique",
                        {
                            "what": "parameter",
                            "ids": parameter.id,
                            "at": f"documents[{i}].parameters[{j}].id",
                        },
                    )
                seen.add(parameter.id)
        return self


class Mechanism(StrictModel):
    id: Slug = F("Mechanism id used in projects.", "cdm")
    name: ShortText = F("Name.", "Clean Development Mechanism")
    international: bool = F(
        "An international mitigation mechanism: registration there is double counting.", True
    )
    url: Url | None = F("Public address.", "https://cdm.unfccc.int/", default=None)


class Mechanisms(RecordBase):
    """`data/reference/mechanisms.yaml`: other crediting mechanisms (double counting)."""

    mechanisms: list[Mechanism] = F(
        "The mechanisms.",
        [{"id": "cdm", "name": "Clean Development Mechanism", "international": True}],
        min_length=1,
    )

    @model_validator(mode="after")
    def _unique(self) -> Mechanisms:
        unique_ids(self.mechanisms, "id", "mechanism", "mechanisms")
        return self


class Scope(StrictModel):
    number: SectoralScope = F("Scope number.", 1)
    title: ShortText = F("Title.", "Energy industries (renewable / non-renewable sources)")


class SectoralScopes(RecordBase):
    """`data/reference/sectoral-scopes.yaml`: the JCM sectoral scopes (CDM numbering)."""

    scopes: list[Scope] = F(
        "The scopes.", [{"number": 1, "title": "Energy industries"}], min_length=1
    )

    @model_validator(mode="after")
    def _unique(self) -> SectoralScopes:
        unique_ids(self.scopes, "number", "scope", "scopes")
        return self


class FinancingProgramme(StrictModel):
    id: Slug = F("Programme id used in projects.", "moej-model")
    title: Text = F("Title.", "MOEJ JCM Model Projects (financing programme)")
    sponsor: ShortText | None = F(
        "Who runs it.", "Ministry of the Environment, Japan", default=None
    )
    min_government_of_japan_share: Number | None = F(
        "Smallest share of the issued credits delivered to the Government of Japan.",
        "0.5",
        default=None,
        ge=0,
        le=1,
    )
    share_source: LocalId | None = F(
        "Source (in `sources`) of that share.", "MOFA2016", default=None
    )


class FinancingProgrammes(RecordBase):
    """`data/reference/financing-programmes.yaml`."""

    programmes: list[FinancingProgramme] = F(
        "The programmes.", [{"id": "moej-model", "title": "MOEJ JCM Model Projects"}], min_length=1
    )

    @model_validator(mode="after")
    def _unique(self) -> FinancingProgrammes:
        unique_ids(self.programmes, "id", "programme", "programmes")
        return self
