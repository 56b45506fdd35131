"""Monitoring report: `data/projects/<ID>/monitoring/<start>_<end>.yaml` (or `.xlsx`)."""

from __future__ import annotations

from datetime import date

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from generator.schema.base import (
    Document,
    F,
    LocalId,
    MethodologyVersionRef,
    MonitoringOption,
    Number,
    Opinion,
    Period,
    ProjectId,
    RecordBase,
    ShortText,
    StrictModel,
    Text,
    TpeRef,
    WholeNumber,
)
from generator.schema.methodology import Symbol


class MonitoredValue(StrictModel):
    """One row of the Monitoring Report Sheet's input table (columns (b)–(k))."""

    parameter: Symbol = F("Parameter name as the methodology defines it.", "EG")
    point: ShortText | None = F("(b) Monitoring point No.", "(1)", default=None)
    value: Number | None = F(
        "(e) Monitored value (a parameter not indexed per unit).", "1234.5", default=None
    )
    per_unit: dict[LocalId, Number] | None = F(
        "(e) Monitored values per project unit i.", {"PV1": "10500.25"}, default=None
    )
    unit: ShortText | None = F("(f) Unit the value is written in.", "MWh", default=None)
    option: MonitoringOption | None = F("(g) Monitoring option.", "C", default=None)
    source: Text | None = F("(h) Source of data.", "Electricity meter readings", default=None)
    method: Text | None = F(
        "(i) Measurement methods and procedures.", "Calibrated meter", default=None
    )
    frequency: ShortText | None = F("(j) Monitoring frequency.", "continuous", default=None)
    comment: Text | None = F("(k) Other comments.", "Meter replaced on 2018-02-01", default=None)

    @model_validator(mode="after")
    def _one_value(self) -> MonitoredValue:
        if (self.value is None) == (self.per_unit is None):
            raise PydanticCustomError(
                "value_or_per_unit", "give either `value` or `per_unit`, exactly one of them"
            )
        return self


class Claimed(StrictModel):
    """Figures the project participants claimed in the monitoring report."""

    reference_emissions: Number | None = F("RE_p claimed (tCO2).", "8880.6", default=None)
    project_emissions: Number | None = F("PE_p claimed (tCO2).", 0, default=None)
    emission_reductions: WholeNumber | None = F("ER_p claimed (tCO2e).", 8880, default=None)


class Verification(StrictModel):
    """The TPE's verification of the monitoring report."""

    tpe: TpeRef = F("The verifying TPE (slug or country number).", "lrqa")
    contracted_by: ShortText | None = F(
        "Participant that contracted the TPE.", "Nippon Express Co., Ltd.", default=None
    )
    report_date: date | None = F(
        "Completion date of the verification report.", "2017-08-28", default=None
    )
    verified_er: WholeNumber | None = F("Emission reductions verified (tCO2e).", 8880, default=None)
    opinion: Opinion | None = F("Overall opinion.", "positive", default=None)
    assurance: ShortText | None = F("Level of assurance stated.", "reasonable", default=None)
    report: Document | None = F("Public version of the verification report.", None, default=None)


class MonitoringReport(RecordBase):
    """Monitored values of one period, the figures claimed, and their verification."""

    project: ProjectId = F("The project; must match the folder.", "MN003")
    period: Period = F(
        "Monitoring period; must match the file name.", {"start": "2017-08-26", "end": "2018-05-31"}
    )
    methodology: MethodologyVersionRef | None = F(
        "Methodology version applied, when the project applies several.",
        "MN_AM003@02.0",
        default=None,
    )
    report_date: date | None = F(
        "Completion date of the monitoring report.", "2018-07-02", default=None
    )
    values: list[MonitoredValue] = F("Monitored values.", [], default_factory=list)
    claimed: Claimed | None = F("Figures claimed.", None, default=None)
    verification: Verification | None = F("The TPE's verification.", None, default=None)
    documents: list[Document] = F("Public documents (report, sheet).", [], default_factory=list)
