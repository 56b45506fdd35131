"""Partner country: the bilateral instrument, the two registries and the Joint Committee."""

from __future__ import annotations

from datetime import date

from generator.schema.base import (
    CountryCode,
    DecisionItemRef,
    Document,
    F,
    RecordBase,
    ShortText,
    Side,
    Slug,
    StrictModel,
    Text,
    Url,
    Version,
)


class Names(StrictModel):
    en: ShortText = F("Name in English, as on the MOFA list.", "Mongolia")
    ja: ShortText | None = F("Name in Japanese.", "モンゴル", default=None)


class Signatory(StrictModel):
    name: ShortText = F("Person who signed.", "Takenori Shimizu")
    role: Text | None = F(
        "Office held at signing.", "Ambassador of Japan to Mongolia", default=None
    )
    side: Side = F("Which government the signatory represented.", "japan")


class Instrument(StrictModel):
    """The bilateral document that set up the JCM with this country."""

    title: Text = F("Title of the bilateral document.", "Low Carbon Development Partnership")
    signed_on: date | None = F("Date of signature.", "2013-01-08", default=None)
    place: ShortText | None = F("Place of signature.", "Ulaanbaatar", default=None)
    signatories: list[Signatory] = F("Who signed it.", [], default_factory=list)
    document: Document | None = F("Public text of the instrument.", None, default=None)


class Registry(StrictModel):
    """One government's JCM registry, into which it issues its share of credits."""

    name: Text = F("Name of the registry.", "JCM Registry (Japan)")
    operator: Text | None = F("Who runs it.", "Ministry of the Environment, Japan", default=None)
    url: Url | None = F("Public address.", "https://www.jcmregistry.go.jp/", default=None)


class Registries(StrictModel):
    japan: Registry | None = F("Japan's registry.", {"name": "JCM Registry (Japan)"}, default=None)
    partner: Registry | None = F(
        "The partner country's registry.", {"name": "JCM Registry (Mongolia)"}, default=None
    )


class Member(StrictModel):
    """A member of the Joint Committee (membership is rarely public)."""

    name: ShortText = F("Member's name.", "A. Example")
    side: Side = F("Government the member represents.", "partner")
    role: Text | None = F("Office or role.", "Director, Ministry of Environment", default=None)
    since: date | None = F("First day of membership.", "2013-04-11", default=None)
    until: date | None = F("Last day of membership.", "2015-04-10", default=None)


class CoChairs(StrictModel):
    """The co-chairs elected for one year, one per side."""

    year: int = F("Year of the term.", 2016, ge=2013, le=2100)
    japan: ShortText | None = F("Co-chair from Japan.", "B. Example", default=None)
    partner: ShortText | None = F("Co-chair from the partner country.", "C. Example", default=None)
    elected_on: date | None = F("Date of election.", "2016-01-15", default=None)


class JointCommittee(StrictModel):
    members: list[Member] = F("Members, where the record shows them.", [], default_factory=list)
    co_chairs: list[CoChairs] = F("Co-chairs per year.", [], default_factory=list)
    secretariat: Text | None = F(
        "Who serves as the JC's secretariat.", "Indonesia JCM Secretariat", default=None
    )


class PublishedRuleDocument(StrictModel):
    """A rule document version as published on the country's rules page.

    The parameters in force come from the decision that adopted a version; a version listed
    here without an adopting decision does not change them (its date of effect is unknown).
    """

    document: Slug = F(
        "Rule document id (see data/reference/rule-documents.yaml).", "project-cycle-procedure"
    )
    version: Version = F("Version as in the file name.", "03.0")
    adopted_by: DecisionItemRef | None = F(
        "The decision item that adopted it, where recorded.",
        "TH/2023-10-11-5th-jc#1",
        default=None,
    )
    url: Url | None = F(
        "Public address of the document.",
        "https://www.jcm.go.jp/th-jp/rules_and_guidelines",
        default=None,
    )


class Country(RecordBase):
    """A partner country of the JCM: `data/countries/<CC>.yaml`."""

    code: CountryCode = F("ISO 3166-1 alpha-2 code; must match the file name.", "MN")
    names: Names = F("Names of the country.", {"en": "Mongolia", "ja": "モンゴル"})
    instrument: Instrument | None = F(
        "The bilateral instrument.", {"title": "Low Carbon Development Partnership"}, default=None
    )
    registries: Registries | None = F("The two registries.", None, default=None)
    joint_committee: JointCommittee | None = F(
        "Members and co-chairs of the JC (optional: rarely public).", None, default=None
    )
    rule_documents: list[PublishedRuleDocument] = F(
        "Rule document versions listed on the country's rules page.", [], default_factory=list
    )
    website: Url | None = F(
        "The JC's page on jcm.go.jp or the partner's JCM site.",
        "https://www.jcm.go.jp/mn-jp/",
        default=None,
    )
