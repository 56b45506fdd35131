"""Third-party entity (TPE): one file per organisation, `data/tpes/<slug>.yaml`."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from generator.schema.base import (
    CountryCode,
    F,
    RecordBase,
    SectoralScope,
    ShortText,
    StrictModel,
    Text,
    TpeNumber,
    TpeSlug,
)


class Scopes(StrictModel):
    """Sectoral scopes per function. `unstated` holds scopes whose function the source omits."""

    validation: list[SectoralScope] | None = F(
        "Scopes the TPE may validate in.", [1, 2, 3], default=None
    )
    verification: list[SectoralScope] | None = F(
        "Scopes the TPE may verify in.", [1, 2, 3, 14], default=None
    )
    unstated: list[SectoralScope] | None = F(
        "Scopes designated without the source saying for which function.",
        [2, 4, 6, 7],
        default=None,
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Scopes:
        if not (self.validation or self.verification or self.unstated):
            raise PydanticCustomError("empty_scopes", "at least one list of scopes is needed")
        return self


class FormerName(StrictModel):
    name: ShortText = F(
        "A former legal name.",
        "Deloitte Tohmatsu Evaluation and Certification Organization Co., Ltd.",
    )
    until: date | None = F("Last day the name was used, where known.", "2019-03-31", default=None)


class Accreditation(StrictModel):
    """What qualifies the organisation to be designated (CDM DOE or ISO 14065)."""

    basis: Literal["cdm-doe", "iso-14065"] = F("Kind of accreditation.", "iso-14065")
    body: ShortText | None = F(
        "Accreditation body (for ISO 14065).", "Japan Accreditation Board", default=None
    )
    reference: ShortText | None = F(
        "Accreditation or DOE reference number.", "E-0026", default=None
    )
    granted_on: date | None = F("Date of accreditation.", "2012-05-01", default=None)
    valid_until: date | None = F("End of validity.", "2027-11-20", default=None)


class PublishedDesignation(StrictModel):
    """A designation as printed on a country's published TPE list."""

    country: CountryCode = F("Country whose JC designated the TPE.", "VN")
    number: TpeNumber = F("That country's public number for it.", "TPE-VN-002")
    designated_on: date | None = F("Date of designation.", "2014-04-23", default=None)
    scopes: Scopes = F(
        "Sectoral scopes per function.",
        {"validation": [1, 3, 4], "verification": [1, 3, 4]},
    )
    valid_until: date | None = F(
        "End of validity printed after the scopes.", "2027-11-20", default=None
    )
    withdrawn: bool = F("The list marks the designation withdrawn.", False, default=False)
    withdrawn_on: date | None = F("Date of withdrawal, where printed.", "2019-12-20", default=None)
    suspended: bool = F("The list marks the designation suspended.", False, default=False)
    note: Text | None = F(
        "Remarks printed with the designation.",
        "scopes 6, 7, 9 withdrawn",
        default=None,
    )


class Tpe(RecordBase):
    """A third-party entity, by our stable organisation slug."""

    id: TpeSlug = F(
        "Our stable lowercase slug for the organisation; must match the file name.", "jqa"
    )
    legal_name: ShortText = F("Current legal name.", "Japan Quality Assurance Organization")
    acronym: ShortText | None = F("Usual acronym.", "JQA", default=None)
    former_names: list[FormerName] = F("Former legal names.", [], default_factory=list)
    country_of_establishment: CountryCode | None = F(
        "Where the organisation is established.", "JP", default=None
    )
    accreditations: list[Accreditation] = F(
        "CDM DOE status or ISO 14065 accreditation.", [], default_factory=list
    )
    designations: list[PublishedDesignation] = F(
        "Designations as printed on countries' published TPE lists.", [], default_factory=list
    )
