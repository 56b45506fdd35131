"""Issuance: `data/projects/<ID>/issuances/<notification-date>.yaml`.

Each government issues its share into its own registry after the JC's notification; this record
says what each registry issued, line by line.
"""

from __future__ import annotations

from datetime import date

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from generator.schema.base import (
    DecisionItemRef,
    F,
    Period,
    ProjectId,
    RecordBase,
    ShortText,
    StrictModel,
    WholeNumber,
)


class SerialBlock(StrictModel):
    """A block of serial numbers (the numbering scheme is not public; numbers as printed)."""

    start: WholeNumber = F("First serial number of the block.", 1000001)
    end: WholeNumber = F("Last serial number of the block (included).", 1007104)


class Line(StrictModel):
    account_holder: ShortText = F("Holder of the account credited.", "Government of Japan")
    quantity: WholeNumber = F("Credits issued on this line (tCO2e).", 27)
    serial: SerialBlock | None = F("Serial block of this line, where recorded.", None, default=None)


class RegistryIssuance(StrictModel):
    """What one government's registry issued."""

    issued_on: date | None = F("Date of issuance in this registry.", "2018-12-14", default=None)
    quantity: WholeNumber | None = F(
        "Total issued in this registry (when the lines are not known).", 7104, default=None
    )
    lines: list[Line] = F("Issuance lines per account holder.", [], default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> RegistryIssuance:
        if self.quantity is None and not self.lines and self.issued_on is None:
            raise PydanticCustomError(
                "empty_registry_issuance", "give the date, the quantity or the lines issued"
            )
        return self

    @property
    def total(self) -> int | None:
        if self.lines:
            return sum(line.quantity for line in self.lines)
        return self.quantity


class Issuance(RecordBase):
    """Credits issued by the two governments after one JC notification."""

    project: ProjectId = F("The project; must match the folder.", "MN003")
    joint_with: list[ProjectId] = F(
        "Other projects whose credits these figures also cover (a joint issuance).",
        [],
        default_factory=list,
    )
    notified_on: date | None = F(
        "Date of the JC notification; names the file.", "2018-11-06", default=None
    )
    reported_on: date | None = F(
        "When the notification date is not public: the date the issuance was first publicly "
        "reported, which then names the file.",
        "2016-05-13",
        default=None,
    )
    notification: DecisionItemRef | None = F(
        "The JC decision item that notified the issuance.", "MN/2018-11-06-issuance#1", default=None
    )
    period: Period | None = F(
        "The monitoring period.", {"start": "2017-08-26", "end": "2018-05-31"}, default=None
    )
    total: WholeNumber | None = F(
        "Total issued in both registries, when the split is not public.", 181, default=None
    )
    japan: RegistryIssuance | None = F("Issued in Japan's registry.", None, default=None)
    partner: RegistryIssuance | None = F("Issued in the partner's registry.", None, default=None)

    @model_validator(mode="after")
    def _dated(self) -> Issuance:
        if (self.notified_on is None) == (self.reported_on is None):
            raise PydanticCustomError(
                "issuance_date",
                "give `notified_on` (the JC notification date) or, only when it is not public, "
                "`reported_on`; exactly one of them",
                {"at": "notified_on" if self.notified_on else "project"},
            )
        return self

    @property
    def file_date(self) -> date:
        return self.notified_on or self.reported_on  # type: ignore[return-value]
