"""Project: `data/projects/<ID>/project.yaml`, the PDD (sections A–F) and the project cycle.

A project known only by its Project Idea Note lives under its `{CC}_PIN{NNN}` id until
registration gives it a `{CC}{NNN}` id. Whether it is registered is not typed here: it follows
from a JC decision.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import model_validator

from generator.schema.base import (
    CountryCode,
    Document,
    F,
    LocalId,
    LongText,
    MethodologyVersionRef,
    Number,
    Opinion,
    Period,
    PinId,
    ProjectId,
    ProjectOrPinId,
    RecordBase,
    ShortText,
    Slug,
    StrictModel,
    Text,
    TpeRef,
    WholeNumber,
    unique_ids,
)
from generator.schema.methodology import Symbol

Latitude = Annotated[Number, F("Latitude in decimal degrees.", "47.8864", ge=-90, le=90)]
Longitude = Annotated[Number, F("Longitude in decimal degrees.", "106.9057", ge=-180, le=180)]


class Site(StrictModel):
    name: ShortText | None = F("Name of the site.", "A-14 factory", default=None)
    region: Text | None = F("Region, state or province.", "Samutprakarn", default=None)
    city: Text | None = F("City, town or community.", "Bang-Bo", default=None)
    address: Text | None = F("Street address.", "99 Moo 5 Ban-Ragad", default=None)
    latitude: Latitude | None = F("Latitude (decimal degrees).", "13.5959", default=None)
    longitude: Longitude | None = F("Longitude (decimal degrees).", "100.8770", default=None)


class Location(StrictModel):
    """PDD A.3: where the project is."""

    region: Text | None = F("Region, state or province (as printed).", "Tov Province", default=None)
    city: Text | None = F("City, town or community (as printed).", "Ulaanbaatar", default=None)
    latitude: Latitude | None = F("Latitude (decimal degrees).", "47.8864", default=None)
    longitude: Longitude | None = F("Longitude (decimal degrees).", "106.9057", default=None)
    sites: list[Site] = F("Individual sites of a multi-site project.", [], default_factory=list)


class Participant(StrictModel):
    name: ShortText = F("Name of the project participant.", "Farmdo Co., Ltd.")
    focal_point: bool = F(
        "Focal point named in the Modalities of Communication Statement.", True, default=False
    )
    role: Text | None = F("Role or subproject, as printed.", "Subproject 1", default=None)


class Participants(StrictModel):
    """PDD A.4: participants per side."""

    partner: list[Participant] = F(
        "Participants of the partner country.", [{"name": "Bridge LLC"}], default_factory=list
    )
    japan: list[Participant] = F(
        "Participants of Japan.",
        [{"name": "FARMDO CORPORATION", "focal_point": True}],
        default_factory=list,
    )


class Duration(StrictModel):
    """PDD A.5."""

    start_of_operation: date | None = F("Start of operation.", "2019-03-05", default=None)
    operational_lifetime_years: WholeNumber | None = F(
        "Expected operational lifetime, in years.", 15, default=None
    )


class JapanContribution(StrictModel):
    """PDD A.6: contribution from Japan and the financing programme."""

    programme: Slug | None = F(
        "Financing programme id (data/reference/financing-programmes.yaml).",
        "moej-model",
        default=None,
    )
    description: LongText | None = F(
        "How Japan contributed.",
        "Financial support for less than half of the initial investment.",
        default=None,
    )


class CriterionMet(StrictModel):
    criterion: LocalId = F("Criterion id of the methodology.", "C1")
    how: LongText = F("How the project meets it (PDD B.2).", "PV modules of 370 W are installed.")


class AppliedMethodology(StrictModel):
    """PDD B: a methodology version the project applies."""

    methodology: MethodologyVersionRef = F("Methodology version applied.", "MN_AM003@02.0")
    eligibility: list[CriterionMet] = F(
        "How each eligibility criterion is met.", [], default_factory=list
    )
    attributes: dict[Symbol, ShortText] = F(
        "Project attributes selecting default values from a table.",
        {"grid": "Jamali", "case": "1"},
        default_factory=dict,
    )
    estimated_values: dict[Symbol, Number | dict[LocalId, Number]] = F(
        "Ex-ante values of parameters for the annual estimate (per unit where indexed).",
        {"EG": {"PV1": "3000.5"}},
        default_factory=dict,
    )


class EmissionSource(StrictModel):
    """PDD C.1."""

    emissions: Literal["reference", "project"] = F("Reference or project emissions.", "reference")
    source: Text = F("The emission source.", "Consumption of grid electricity")
    ghg: ShortText = F("Greenhouse gas.", "CO2")


class EstimatedYear(StrictModel):
    year: int = F("Calendar year.", 2018, ge=2000, le=2100)
    reference_emissions: Number | None = F("Estimated RE (tCO2).", "4012.3", default=None)
    project_emissions: Number | None = F("Estimated PE (tCO2).", 0, default=None)
    emission_reductions: WholeNumber = F("Estimated ER (tCO2e).", 4012)


class Estimates(StrictModel):
    """PDD C.3: estimated emission reductions."""

    annual: WholeNumber | None = F(
        "Estimated emission reductions per year (tCO2e/year).", 491, default=None
    )
    per_year: list[EstimatedYear] = F("Estimates year by year.", [], default_factory=list)
    total: WholeNumber | None = F("Total over the stated horizon (tCO2e).", 4910, default=None)


class Eia(StrictModel):
    """PDD D."""

    required: bool | None = F("Whether the host country requires an EIA.", False, default=None)
    summary: LongText | None = F(
        "What the PDD says.", "No EIA is required for rooftop PV.", default=None
    )


class Unit(StrictModel):
    """A unit `i` whose parameters are monitored separately (e.g. each PV system)."""

    id: LocalId = F("Unit id, unique in the project.", "PV1")
    description: Text = F("What the unit is.", "837 kW rooftop PV on the A-14 factory")
    attributes: dict[Symbol, ShortText] = F(
        "Attributes of this unit selecting defaults (overrides the project's).",
        {"case": "2"},
        default_factory=dict,
    )


class ChecklistItem(StrictModel):
    item: Text = F("Checklist item of the validation report.", "Eligibility criterion 1")
    car_or_cl_remaining: bool = F(
        "A corrective action request or clarification request remains open.", False
    )


class Validation(StrictModel):
    """The TPE's validation of the project."""

    tpe: TpeRef = F("The validating TPE (slug or country number).", "jma")
    contracted_by: ShortText | None = F(
        "Participant that contracted the TPE.", "Farmdo Co., Ltd.", default=None
    )
    report_date: date | None = F(
        "Completion date of the validation report.", "2017-03-15", default=None
    )
    opinion: Opinion | None = F("Overall opinion.", "positive", default=None)
    checklist: list[ChecklistItem] = F("Checklist items recorded.", [], default_factory=list)
    report: Document | None = F("Public version of the validation report.", None, default=None)


class Cycle(StrictModel):
    """Dates of the project cycle that are not JC decisions."""

    pdd_public_inputs: Period | None = F(
        "Public-input window on the PDD (inclusive).",
        {"start": "2017-01-10", "end": "2017-02-08"},
        default=None,
    )
    registration_requested_on: date | None = F(
        "Date of the registration request.", "2017-03-20", default=None
    )


class OtherRegistration(StrictModel):
    """A registration of this project under another mechanism (double counting)."""

    mechanism: Slug = F("Mechanism id (data/reference/mechanisms.yaml).", "cdm")
    reference: ShortText | None = F("Its id there.", "CDM 1234", default=None)
    registered_on: date | None = F("Date registered there.", "2012-01-01", default=None)
    withdrawn_on: date | None = F(
        "Date its withdrawal there was recorded.", "2014-01-01", default=None
    )


class Related(StrictModel):
    project: ProjectOrPinId = F("The related project.", "TH010")
    relation: Literal["resubmission-of", "resubmitted-as", "planned-as", "other"] = F(
        "How they relate.", "resubmission-of"
    )


class Project(RecordBase):
    """A JCM project (or a planned project under its PIN id)."""

    id: ProjectOrPinId = F("Project id or PIN id; must match the folder name.", "MN003")
    country: CountryCode = F("Partner country.", "MN")
    pin: PinId | None = F("Its Project Idea Note id, if it had one.", "LK_PIN001", default=None)
    title: Text = F(
        "PDD A.1: title.",
        "Installation of 12.7 MW Solar Power Plant for Power Supply In Ulaanbaatar Suburb",
    )
    description: LongText | None = F(
        "PDD A.2: project and technologies (Markdown).",
        "A 12.7 MW ground-mounted PV plant.",
        default=None,
    )
    location: Location | None = F("PDD A.3: location.", None, default=None)
    participants: Participants | None = F("PDD A.4: participants.", None, default=None)
    duration: Duration | None = F("PDD A.5: duration.", None, default=None)
    contribution_from_japan: JapanContribution | None = F("PDD A.6.", None, default=None)
    methodologies: list[AppliedMethodology] = F(
        "PDD B: methodology versions applied.",
        [{"methodology": "MN_AM003@02.0"}],
        default_factory=list,
    )
    units: list[Unit] = F("Units i monitored separately.", [], default_factory=list)
    emission_sources: list[EmissionSource] = F("PDD C.1.", [], default_factory=list)
    estimates: Estimates | None = F("PDD C.3.", None, default=None)
    eia: Eia | None = F("PDD D: environmental impact assessment.", None, default=None)
    stakeholder_consultation: LongText | None = F(
        "PDD E: local stakeholder consultation (Markdown).",
        "Held on 2016-11-02 in the soum centre.",
        default=None,
    )
    references: list[Document] = F("PDD F: references.", [], default_factory=list)
    documents: list[Document] = F(
        "Public documents of the project (PDD, MoC, reports).", [], default_factory=list
    )
    validation: Validation | None = F("The TPE's validation.", None, default=None)
    cycle: Cycle | None = F("Cycle dates that are not JC decisions.", None, default=None)
    crediting_period: Period | None = F(
        "Crediting period.", {"start": "2017-08-26", "end": "2020-12-31"}, default=None
    )
    other_registrations: list[OtherRegistration] = F(
        "Registrations under other mechanisms.", [], default_factory=list
    )
    related: list[Related] = F("Related projects.", [], default_factory=list)
    status_as_published: (
        Literal[
            "registered", "validation", "registration-request-withdrawn", "withdrawn", "planned"
        ]
        | None
    ) = F(
        "The status printed on the official project list, kept to compare with the status "
        "derived from decisions.",
        "registered",
        default=None,
    )

    @model_validator(mode="after")
    def _unique(self) -> Project:
        unique_ids(self.units, "id", "unit", "units")
        return self


__all__ = ["Project", "ProjectId"]
