"""Joint Committee decision: `data/decisions/<CC>/<YYYY-MM-DD>-<slug>.yaml`.

A decision is either taken at a meeting (effective on the meeting date) or by electronic means
(effective on its adoption date, computed from the recorded assertions, else the date it
carries). Its items are typed: each kind of act the JC takes has its own fields.
"""

from __future__ import annotations

from datetime import date
from datetime import date as Date
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from generator.schema.base import (
    ApprovedMethodologyId,
    CountryCode,
    Document,
    F,
    LocalId,
    Number,
    Period,
    PinId,
    ProjectId,
    ProposedMethodologyId,
    RecordBase,
    ShortText,
    Side,
    Slug,
    StrictModel,
    Text,
    TpeNumber,
    TpeSlug,
    Version,
    WholeNumber,
    unique_ids,
)
from generator.schema.tpe import Scopes


class Meeting(StrictModel):
    ordinal: int | None = F("Ordinal of the meeting (4 for the 4th JC).", 4, default=None, ge=1)
    place: ShortText | None = F("Where it was held.", "Ulaanbaatar", default=None)
    mode: Literal["in-person", "online", "hybrid"] | None = F(
        "In person, online or both.", "hybrid", default=None
    )
    report: Document | None = F("The public meeting report.", None, default=None)


class Assertion(StrictModel):
    """One member's answer to an electronic decision."""

    member: ShortText = F("Member's name.", "A. Example")
    side: Side = F("Government the member represents.", "japan")
    co_chair: bool = F("The member is a co-chair.", False, default=False)
    assertion: Literal["affirmative", "negative"] = F("The member's assertion.", "affirmative")
    on: date = F("Date of the assertion.", "2020-02-10")


class Electronic(StrictModel):
    distributed_on: date | None = F(
        "Day the co-chairs distributed the proposed decision.", "2020-02-03", default=None
    )
    assertions: list[Assertion] = F(
        "Assertions of the members, where recorded.", [], default_factory=list
    )


class ItemBase(StrictModel):
    id: LocalId = F("Id of the item, unique in this decision.", "1")
    annex: ShortText | None = F("Annex of the decision that carries it.", "Annex 3", default=None)
    note: Text | None = F("Remarks on this item.", "adopted with editorial changes", default=None)


class AdoptRuleDocument(ItemBase):
    type: Literal["adopt_rule_document"] = F("Kind of item.", "adopt_rule_document")
    document: Slug = F(
        "Rule document id (data/reference/rule-documents.yaml).", "rules-of-procedure"
    )
    version: Version | None = F(
        "Version adopted (absent when the source does not give it).", "02.0", default=None
    )
    parameters: dict[Slug, Number] = F(
        "The document's rule parameters as read in this version (names in "
        "data/reference/rule-documents.yaml).",
        {"max-members-per-side": 10, "electronic-decision-days": 20},
        default_factory=dict,
    )


class _MethodologyAct(ItemBase):
    methodology: ApprovedMethodologyId = F("Approved methodology id.", "MN_AM003")
    version: Version = F("Version concerned.", "02.0")
    proposal: ProposedMethodologyId | None = F(
        "The proposal this act concludes.", "MN_PM004", default=None
    )


class ApproveMethodology(_MethodologyAct):
    type: Literal["approve_methodology"] = F("Kind of item.", "approve_methodology")


class ApproveMethodologyWithRevision(_MethodologyAct):
    type: Literal["approve_methodology_with_revision"] = F(
        "Kind of item.", "approve_methodology_with_revision"
    )


class RejectMethodology(ItemBase):
    type: Literal["reject_methodology"] = F("Kind of item.", "reject_methodology")
    proposal: ProposedMethodologyId = F("The proposal rejected.", "MN_PM007")


class WithdrawMethodology(ItemBase):
    type: Literal["withdraw_methodology"] = F("Kind of item.", "withdraw_methodology")
    methodology: ApprovedMethodologyId = F("Approved methodology id.", "MN_AM001")
    version: Version | None = F(
        "Version withdrawn (all versions when absent).", "01.0", default=None
    )


class DesignateTpe(ItemBase):
    type: Literal["designate_tpe"] = F("Kind of item.", "designate_tpe")
    tpe: TpeSlug = F("The TPE's organisation slug (data/tpes/<slug>.yaml).", "jqa")
    number: TpeNumber | None = F(
        "This country's number for it, where printed.", "TPE-VN-002", default=None
    )
    scopes: Scopes | None = F(
        "Scopes per function designated (absent when the source does not give them).",
        {"validation": [1], "verification": [1]},
        default=None,
    )
    valid_from: date | None = F(
        "First day of validity, when not the decision date.", "2025-08-06", default=None
    )
    valid_until: date | None = F("Last day of validity.", "2028-08-05", default=None)


class SuspendTpe(ItemBase):
    type: Literal["suspend_tpe"] = F("Kind of item.", "suspend_tpe")
    tpe: TpeSlug = F("The TPE's organisation slug.", "jqa")
    scopes: Scopes | None = F("Scopes suspended (all when absent).", None, default=None)
    until: date | None = F("Last day of the suspension, where set.", "2026-12-31", default=None)


class WithdrawTpeDesignation(ItemBase):
    type: Literal["withdraw_tpe_designation"] = F("Kind of item.", "withdraw_tpe_designation")
    tpe: TpeSlug = F("The TPE's organisation slug.", "jacocdm")
    scopes: Scopes | None = F(
        "Scopes withdrawn (the whole designation when absent).", None, default=None
    )


class NoObjectionPin(ItemBase):
    type: Literal["no_objection_pin"] = F("Kind of item.", "no_objection_pin")
    pin: PinId = F("The Project Idea Note id.", "GE_PIN001")
    title: Text | None = F(
        "Title of the planned project as in the decision.",
        "43MW Solar Power Project in Kakheti and Kvemo Kartli Regions",
        default=None,
    )


class RegisterProject(ItemBase):
    type: Literal["register_project"] = F("Kind of item.", "register_project")
    project: ProjectId = F("The project registered.", "MN003")
    pin: PinId | None = F("Its Project Idea Note id, when it had one.", "LK_PIN001", default=None)


class Allocation(StrictModel):
    registry: Side = F("Registry the credits are issued into.", "japan")
    account_holder: ShortText | None = F(
        "Holder of the account, where the decision names one.", "Government of Japan", default=None
    )
    quantity: WholeNumber = F("Credits (tCO2e).", 7104)


class NotifyIssuance(ItemBase):
    type: Literal["notify_issuance"] = F("Kind of item.", "notify_issuance")
    project: ProjectId = F("Project whose credits are notified.", "MN003")
    joint_with: list[ProjectId] = F(
        "Other projects covered by the same figures (a joint notification).",
        [],
        default_factory=list,
    )
    period: Period | None = F(
        "The verified monitoring period.",
        {"start": "2017-08-26", "end": "2018-05-31"},
        default=None,
    )
    quantity: WholeNumber | None = F("Total credits notified (tCO2e).", 8880, default=None)
    allocation: list[Allocation] = F(
        "Split per registry (and account holder, where named).",
        [{"registry": "japan", "quantity": 7104}, {"registry": "partner", "quantity": 1776}],
        default_factory=list,
    )
    allocation_complete: bool = F(
        "False when only some lines of the allocation are public: the lines then need not "
        "add up to the quantity.",
        True,
        default=True,
    )


class ApprovePostRegistrationChange(ItemBase):
    type: Literal["approve_post_registration_change"] = F(
        "Kind of item.", "approve_post_registration_change"
    )
    project: ProjectId = F("The project changed.", "MN003")
    description: Text = F("What changed.", "Capacity increased from 2.1 MW to 12.7 MW.")


class RenewCreditingPeriod(ItemBase):
    type: Literal["renew_crediting_period"] = F("Kind of item.", "renew_crediting_period")
    project: ProjectId = F("The project.", "MN003")
    crediting_period: Period = F(
        "The renewed crediting period.", {"start": "2021-01-01", "end": "2030-12-31"}
    )


class WithdrawRegistrationRequest(ItemBase):
    type: Literal["withdraw_registration_request"] = F(
        "Kind of item.", "withdraw_registration_request"
    )
    project: ProjectId = F("The project whose registration request is withdrawn.", "TH010")


class WithdrawIssuanceRequest(ItemBase):
    type: Literal["withdraw_issuance_request"] = F("Kind of item.", "withdraw_issuance_request")
    project: ProjectId = F("The project.", "MN003")
    period: Period | None = F("The monitoring period of the request.", None, default=None)


class WithdrawProject(ItemBase):
    type: Literal["withdraw_project"] = F("Kind of item.", "withdraw_project")
    project: ProjectId = F("The registered project withdrawn.", "MN005")


class Other(ItemBase):
    type: Literal["other"] = F("Kind of item.", "other")
    text: Text = F(
        "What the JC decided, in its words.",
        "Extension of the interim special measure for on-site assessment.",
    )


DecisionItem = Annotated[
    AdoptRuleDocument
    | ApproveMethodology
    | ApproveMethodologyWithRevision
    | RejectMethodology
    | WithdrawMethodology
    | DesignateTpe
    | SuspendTpe
    | WithdrawTpeDesignation
    | NoObjectionPin
    | RegisterProject
    | NotifyIssuance
    | ApprovePostRegistrationChange
    | RenewCreditingPeriod
    | WithdrawRegistrationRequest
    | WithdrawIssuanceRequest
    | WithdrawProject
    | Other,
    Field(discriminator="type"),
]

ITEM_TYPES: tuple[str, ...] = (
    "adopt_rule_document",
    "approve_methodology",
    "approve_methodology_with_revision",
    "reject_methodology",
    "withdraw_methodology",
    "designate_tpe",
    "suspend_tpe",
    "withdraw_tpe_designation",
    "no_objection_pin",
    "register_project",
    "notify_issuance",
    "approve_post_registration_change",
    "renew_crediting_period",
    "withdraw_registration_request",
    "withdraw_issuance_request",
    "withdraw_project",
    "other",
)


class Decision(RecordBase):
    """A decision of a country's Joint Committee."""

    country: CountryCode = F("Country of the JC; must match the folder.", "MN")
    date: Date = F(
        "Date the decision carries: the meeting date, or the date of the electronic decision "
        "as published; must match the file name.",
        "2016-09-29",
    )
    title: Text | None = F(
        "Title as published.", "4th Joint Committee in Ulaanbaatar", default=None
    )
    meeting: Meeting | None = F("Set for a decision taken at a meeting.", None, default=None)
    electronic: Electronic | None = F(
        "Set for a decision taken by electronic means.", None, default=None
    )
    items: list[DecisionItem] = F(
        "What the JC decided, one typed item per act.",
        [{"id": "1", "type": "register_project", "project": "MN003"}],
        min_length=1,
    )
    documents: list[Document] = F("Published documents of the decision.", [], default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Decision:
        if self.meeting is not None and self.electronic is not None:
            raise PydanticCustomError(
                "meeting_and_electronic",
                "a decision is either a meeting or electronic, not both",
                {"at": "electronic"},
            )
        unique_ids(self.items, "id", "item", "items")
        return self

    @property
    def form(self) -> str:
        if self.meeting is not None:
            return "meeting"
        if self.electronic is not None:
            return "electronic"
        return "unknown"
