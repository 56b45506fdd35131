"""Each rule: the example registry passes it; one edit makes it fail at a known file and line."""

from __future__ import annotations

import pytest

from generator.findings import catalogue
from generator.pipeline import validate_root
from generator.rules import Passed, registered_rules
from tests.conftest import FIXTURES
from tests.rules.helpers import find, line_of, replace, run_with

P = "projects/"
D = "decisions/XA/"
JC1 = D + "2019-06-10-1st-jc.yaml"
ED1 = D + "2019-08-20-electronic-decision.yaml"
JC2 = D + "2019-12-05-2nd-jc.yaml"
JC3 = D + "2021-04-15-3rd-jc.yaml"
XA001 = P + "XA001/project.yaml"
MR2020 = P + "XA001/monitoring/2020-01-01_2020-12-31.yaml"
ISS1 = P + "XA001/issuances/2021-04-15.yaml"
ISS2 = P + "XA001/issuances/2022-05-20.yaml"
METH = "methodologies/XA_AM001.yaml"

NEW_PROJECT = """id: XA005
country: XA
title: A validated project with no registration decision (fictional)
validation: {tpe: example-assurance, report_date: 2020-02-01, opinion: positive}
sources:
  - {id: F, title: Fictional, url: "https://example.org/xa005"}
"""
OTHER_TPE = """id: other-tpe
legal_name: Other Fictional TPE
designations:
  - country: XA
    number: TPE-XA-001
    scopes: {validation: [1]}
sources:
  - {id: F, title: Fictional, url: "https://example.org/other"}
"""
OVERLAPPING = """project: XA004
period: {start: 2021-06-01, end: 2021-06-30}
sources:
  - {id: F, title: Fictional, url: "https://example.org/mr"}
"""
UNNOTIFIED = """project: XA004
notified_on: 2022-06-01
japan: {issued_on: 2022-06-02, quantity: 10}
sources:
  - {id: F, title: Fictional, url: "https://example.org/iss"}
"""

# code, severity, edits, file of the finding, marker on the finding's line
CASES = [
    ("ID-MISMATCH", "error", {XA001: replace("id: XA001", "id: XA005")}, XA001, "id: XA005"),
    (
        "ID-COUNTRY",
        "error",
        {XA001: replace("country: XA\npin", "country: XB\npin")},
        XA001,
        "country: XB",
    ),
    (
        "ID-TPE-NUMBER-TAKEN",
        "error",
        {"tpes/other-tpe.yaml": OTHER_TPE},
        "tpes/other-tpe.yaml",
        "number: TPE-XA-001",
    ),
    (
        "ID-REVISES-APPROVED",
        "error",
        {METH: replace("sectoral_scope: 1\n", "sectoral_scope: 1\nrevises: XA_AM001\n")},
        METH,
        "revises: XA_AM001",
    ),
    (
        "REF-UNRESOLVED",
        "error",
        {XA001: replace("- methodology: XA_AM001@01.0", "- methodology: XA_AM009@01.0")},
        XA001,
        "XA_AM009@01.0",
    ),
    ("REF-KIND", "error", {ISS1: replace("#issuance-1", "#2")}, ISS1, "notification:"),
    (
        "GOV-MEMBERS-LIMIT",
        "error",
        {JC1: replace("max-members-per-side: 10", "max-members-per-side: 1")},
        "countries/XA.yaml",
        "- {name: Taro Example",
    ),
    (
        "GOV-CO-CHAIRS",
        "error",
        {"countries/XA.yaml": replace("{year: 2020, japan", "{year: 2019, japan")},
        "countries/XA.yaml",
        "{year: 2019, japan: Taro Example, partner: Ana Sample}",
    ),
    (
        "GOV-EDECISION-NOT-ADOPTED",
        "error",
        {
            ED1: replace(
                "side: partner, assertion: affirmative, on: 2019-08-06",
                "side: partner, assertion: negative, on: 2019-08-06",
            )
        },
        ED1,
        "distributed_on",
    ),
    (
        "GOV-EDECISION-NON-MEMBER",
        "warning",
        {ED1: replace("member: Jiro Example", "member: Saburo Example")},
        ED1,
        "Saburo Example",
    ),
    (
        "TIME-WINDOW-LENGTH",
        "error",
        {METH: replace("end: 2019-07-15", "end: 2019-07-16")},
        METH,
        "end: 2019-07-16",
    ),
    (
        "TIME-CONSIDERATION",
        "warning",
        {
            METH: replace(
                "{start: 2019-07-01, end: 2019-07-15}", "{start: 2019-04-01, end: 2019-04-15}"
            )
        },
        METH,
        "start: 2019-04-01",
    ),
    (
        "TIME-CYCLE-ORDER",
        "error",
        {
            XA001: replace(
                "registration_requested_on: 2019-11-01", "registration_requested_on: 2019-09-15"
            )
        },
        XA001,
        "registration_requested_on",
    ),
    (
        "TIME-MONITORING-OUTSIDE-CREDITING",
        "error",
        {P + "XA004/project.yaml": replace("start: 2021-01-01", "start: 2021-02-01")},
        P + "XA004/monitoring/2021-01-01_2021-06-30.yaml",
        "period:",
    ),
    (
        "TIME-MONITORING-OVERLAP",
        "error",
        {P + "XA004/monitoring/2021-06-01_2021-06-30.yaml": OVERLAPPING},
        P + "XA004/monitoring/2021-06-01_2021-06-30.yaml",
        "period:",
    ),
    (
        "TIME-MONITORING-GAP",
        "incomplete",
        {P + "XA001/monitoring/2021-01-01_2021-06-30.yaml": None},
        P + "XA001/monitoring/2021-07-01_2021-12-31.yaml",
        "period:",
    ),
    (
        "TIME-VERIFICATION-BEFORE-END",
        "error",
        {
            P + "XA004/monitoring/2021-07-01_2021-12-31.yaml": replace(
                "report_date: 2022-09-01", "report_date: 2021-12-31"
            )
        },
        P + "XA004/monitoring/2021-07-01_2021-12-31.yaml",
        "report_date: 2021-12-31",
    ),
    (
        "TIME-NOTIFIED-BEFORE-VERIFIED",
        "error",
        {MR2020: replace("report_date: 2021-03-01", "report_date: 2021-05-01")},
        JC3,
        "- id: issuance-1",
    ),
    (
        "TIME-ISSUED-BEFORE-NOTIFIED",
        "error",
        {ISS1: replace("issued_on: 2021-04-30", "issued_on: 2021-04-10")},
        ISS1,
        "issued_on: 2021-04-10",
    ),
    (
        "MTH-VERSION-NOT-VALID",
        "error",
        {
            XA001: replace(
                "pdd_public_inputs: {start: 2019-09-01, end: 2019-09-30}",
                "pdd_public_inputs: {start: 2019-08-01, end: 2019-08-30}",
            )
        },
        XA001,
        "- methodology: XA_AM001@01.0",
    ),
    (
        "MTH-APPROVAL-UNRECORDED",
        "incomplete",
        {METH: replace('  - version: "02.0"\n', '  - version: "03.0"\n  - version: "02.0"\n')},
        METH,
        'version: "03.0"',
    ),
    (
        "VAL-OPINION-OPEN-ITEMS",
        "error",
        {
            XA001: replace(
                "{item: Monitoring plan, car_or_cl_remaining: false}",
                "{item: Monitoring plan, car_or_cl_remaining: true}",
            )
        },
        XA001,
        "car_or_cl_remaining: true",
    ),
    (
        "VAL-NEGATIVE-REGISTERED",
        "error",
        {XA001: replace("opinion: positive", "opinion: negative")},
        XA001,
        "opinion: negative",
    ),
    (
        "VAL-TPE-NOT-DESIGNATED",
        "error",
        {P + "XA004/project.yaml": replace("report_date: 2019-10-25", "report_date: 2019-05-01")},
        P + "XA004/project.yaml",
        "report_date: 2019-05-01",
    ),
    (
        "LEDGER-ALLOCATION-SUM",
        "error",
        {
            JC3: replace(
                "account_holder: Government of Exampleland, quantity: 200}",
                "account_holder: Government of Exampleland, quantity: 199}",
            )
        },
        JC3,
        "account_holder: Government of Japan, quantity: 500",
    ),
    (
        "LEDGER-NOTIFIED-EXCEEDS-VERIFIED",
        "error",
        {MR2020: replace("verified_er: 1000", "verified_er: 900")},
        JC3,
        "quantity: 1000",
    ),
    (
        "LEDGER-ISSUED-EXCEEDS-NOTIFIED",
        "error",
        {ISS1: replace("quantity: 200", "quantity: 250")},
        ISS1,
        "issued_on: 2021-05-10",
    ),
    (
        "LEDGER-SERIAL-LENGTH",
        "error",
        {ISS1: replace("serial: {start: 1, end: 500}", "serial: {start: 1, end: 499}")},
        ISS1,
        "serial: {start: 1, end: 499}",
    ),
    (
        "LEDGER-SERIAL-OVERLAP",
        "error",
        {ISS2: replace("serial: {start: 801, end: 1090}", "serial: {start: 800, end: 1089}")},
        ISS2,
        "start: 800",
    ),
    (
        "LEDGER-LINES-SUM",
        "error",
        {ISS1: replace("  issued_on: 2021-04-30\n", "  issued_on: 2021-04-30\n  quantity: 900\n")},
        ISS1,
        "quantity: 900",
    ),
    (
        "CLAIM-ISSUANCE-WITHOUT-NOTIFICATION",
        "error",
        {P + "XA004/issuances/2022-06-01.yaml": UNNOTIFIED},
        P + "XA004/issuances/2022-06-01.yaml",
        "notified_on",
    ),
    (
        "CLAIM-NOTIFICATION-NOT-PUBLIC",
        "incomplete",
        {},
        P + "XA001/issuances/2022-12-01.yaml",
        "reported_on",
    ),
    (
        "CLAIM-NOTIFICATION-UNREGISTERED",
        "error",
        {JC3: replace("    project: XA001\n    period:", "    project: XA002\n    period:")},
        JC3,
        "project: XA002",
    ),
    (
        "CLAIM-NOTIFICATION-UNVERIFIED",
        "incomplete",
        {
            P + "XA004/monitoring/2021-07-01_2021-12-31.yaml": replace(
                "verification: {tpe: example-assurance, report_date: 2022-09-01, verified_er: 60, opinion: positive}\n",
                "",
            )
        },
        D + "2022-11-10-4th-jc.yaml",
        "- id:",
    ),
    (
        "CLAIM-STATUS-PUBLISHED",
        "error",
        {
            P + "XA002/project.yaml": replace(
                "status_as_published: registration-request-withdrawn",
                "status_as_published: registered",
            )
        },
        P + "XA002/project.yaml",
        "status_as_published",
    ),
    ("CLAIM-REGISTERED-UNVALIDATED", "incomplete", {}, P + "XA003/project.yaml", "id: XA003"),
    (
        "CLAIM-REGISTRATION-UNRECORDED",
        "incomplete",
        {P + "XA005/project.yaml": NEW_PROJECT},
        P + "XA005/project.yaml",
        "validation:",
    ),
    (
        "DOUBLE-COUNTING",
        "error",
        {XA001: replace(", withdrawn_on: 2019-06-01}", "}")},
        XA001,
        "- {mechanism: cdm",
    ),
    (
        "FINANCE-JAPAN-SHARE",
        "warning",
        {
            JC3: lambda t: t.replace(
                "Government of Japan, quantity: 500", "Government of Japan, quantity: 400"
            ).replace("Example Solar K.K., quantity: 300", "Example Solar K.K., quantity: 400")
        },
        JC3,
        "Government of Japan, quantity: 400",
    ),
]

XA004 = P + "XA004/project.yaml"
MR4 = P + "XA004/monitoring/2021-01-01_2021-06-30.yaml"
ER_02 = """      - name: ER_p
        expression: "RE_p - PE_p"
        unit: tCO2
    rounding:
      - {quantity: ER_p, method: down}
"""

CASES += [
    (
        "EQ-SYNTAX",
        "error",
        {
            METH: replace(
                'expression: "sum_i(EG[i] * EF_RE)"', 'expression: "sum_i(EG[i] ** EF_RE)"'
            )
        },
        METH,
        "EG[i] ** EF_RE",
    ),
    (
        "EQ-UNKNOWN-SYMBOL",
        "error",
        {METH: replace('"EC_aux * EF_RE"', '"EC_aux * EF_XX"')},
        METH,
        "EF_XX",
    ),
    (
        "EQ-CYCLE",
        "error",
        {METH: replace('expression: "sum_i(EG[i] * EF_RE)"', 'expression: "ER_p + 0"')},
        METH,
        '"ER_p + 0"',
    ),
    (
        "EQ-NO-ER",
        "error",
        {METH: replace(ER_02, ER_02.replace("name: ER_p", "name: ER_x"))},
        METH,
        ("- name: RE_p", 1),
    ),
    (
        "EQ-PER-UNIT",
        "error",
        {
            METH: replace(
                'expression: "sum_i(EG[i] * EF_RE)"', 'expression: "sum_i(EG[i] * EF_RE[i])"'
            )
        },
        METH,
        "sum_i(EG[i] * EF_RE[i])",
    ),
    (
        "EQ-UNIT-UNKNOWN",
        "error",
        {
            METH: replace(
                "Auxiliary electricity the PV systems draw from the grid during period p\n        unit: MWh",
                "Auxiliary electricity the PV systems draw from the grid during period p\n        unit: MWhh",
            )
        },
        METH,
        "unit: MWhh",
    ),
    (
        "EQ-UNIT-MISMATCH",
        "error",
        {METH: replace('"EC_aux * EF_RE"', '"EC_aux + EF_RE"')},
        METH,
        '"EC_aux + EF_RE"',
    ),
    (
        "EQ-TABLE-PATTERN",
        "warning",
        {
            METH: replace(
                '{when: {connection: grid, case: "2"}, value: 0.533}',
                '{when: {connection: grid, case: "2"}, value: 0.6}',
            )
        },
        METH,
        "- description: Case 2",
    ),
    (
        "EQ-DEFAULT-UNSET",
        "incomplete",
        {
            METH: replace(
                "        value: 0.797\n        source: Most efficient fictional power plant\n",
                "        source: Most efficient fictional power plant\n",
            )
        },
        METH,
        ('- symbol: "EG_{i,p}"', 0),
    ),
    (
        "CALC-UNKNOWN-PARAMETER",
        "error",
        {MR2020: replace("- parameter: EC_aux", "- parameter: EC_aux2")},
        MR2020,
        "EC_aux2",
    ),
    (
        "CALC-DUPLICATE-VALUE",
        "error",
        {
            MR4: replace(
                "  - {parameter: EC_aux",
                "  - {parameter: EG, per_unit: {PV1: 1}}\n  - {parameter: EC_aux",
            )
        },
        MR4,
        "{PV1: 1}",
    ),
    (
        "CALC-NOT-MONITORED",
        "warning",
        {
            MR4: replace(
                "  - {parameter: EC_aux",
                "  - {parameter: EF_RE, value: 0.797}\n  - {parameter: EC_aux",
            )
        },
        MR4,
        "parameter: EF_RE",
    ),
    (
        "CALC-OPTION-NOT-ALLOWED",
        "error",
        {
            MR4: replace(
                "unit: MWh, option: C}\n  - {parameter: EC_aux",
                "unit: MWh, option: A}\n  - {parameter: EC_aux",
            )
        },
        MR4,
        "option: A",
    ),
    (
        "CALC-UNIT",
        "warning",
        {MR4: replace("{PV1: 80}, unit: MWh", "{PV1: 80000}, unit: kWh")},
        MR4,
        "unit: kWh",
    ),
    (
        "CALC-MISSING-VALUE",
        "error",
        {MR4: replace("  - {parameter: EC_aux, value: 0, unit: MWh, option: C}\n", "")},
        MR4,
        "values:",
    ),
    (
        "CALC-OUT-OF-RANGE",
        "warning",
        {MR4: replace("{PV1: 80}", "{PV1: 200000}")},
        MR4,
        "{PV1: 200000}",
    ),
    (
        "CALC-TABLE-NO-ROW",
        "error",
        {
            XA004: replace(
                "  - methodology: XA_AM001@01.0\n",
                "  - methodology: XA_AM001@02.0\n    attributes: {connection: rooftop}\n",
            ),
            MR4: replace("  - {parameter: EC_aux, value: 0, unit: MWh, option: C}\n", ""),
        },
        XA004,
        "- methodology: XA_AM001@02.0",
    ),
    (
        "CALC-DIVISION-BY-ZERO",
        "error",
        {METH: replace('"EC_aux * EF_RE"', '"EC_aux * EF_RE * EC_aux / EC_aux"')},
        MR4,
        "values:",
    ),
    (
        "CALC-OVERFLOW",
        "error",
        {
            P + "XA001/monitoring/2021-07-01_2021-12-31.yaml": replace(
                "{PV1: 440, PV2: 190}", "{PV1: 9.9e+999999, PV2: 9.9e+999999}"
            )
        },
        P + "XA001/monitoring/2021-07-01_2021-12-31.yaml",
        "values:",
    ),
    (
        "CALC-NOT-RECOMPUTABLE",
        "incomplete",
        {
            MR4: lambda t: t.replace(
                "  - {parameter: EG, per_unit: {PV1: 80}, unit: MWh, option: C}\n  - {parameter: EC_aux, value: 0, unit: MWh, option: C}\n",
                "",
            ).replace("values:\n", "")
        },
        MR4,
        "period:",
    ),
    (
        "CALC-CLAIMED-MISMATCH",
        "warning",
        {MR2020: replace("emission_reductions: 1035", "emission_reductions: 1036")},
        MR2020,
        "emission_reductions: 1036",
    ),
    (
        "CALC-VERIFIED-EXCEEDS-RECOMPUTED",
        "warning",
        {MR4: replace("verified_er: 63", "verified_er: 64")},
        MR4,
        "verified_er: 64",
    ),
    (
        "CALC-ESTIMATE-MISMATCH",
        "warning",
        {XA001: replace("annual: 1036", "annual: 1040")},
        XA001,
        "annual: 1040",
    ),
]

MR3 = P + "XA001/monitoring/2021-07-01_2021-12-31.yaml"
CASES.append(
    (
        "CALC-SCALE",
        "warning",
        {MR3: replace("{PV1: 440, PV2: 190}", "{PV1: 440000, PV2: 190000}")},
        MR3,
        "- {parameter: EG",
    )
)

IN_EXAMPLE = {"CLAIM-NOTIFICATION-NOT-PUBLIC", "CLAIM-REGISTERED-UNVALIDATED"}
RULE_CODES = sorted(
    {code for r in registered_rules() for code in r.codes}
    | {c for c, e in catalogue().items() if e.family == "identity"}
)


@pytest.mark.parametrize(
    ("code", "severity", "edits", "rel", "marker"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_fails_at_the_right_place(tmp_path, code, severity, edits, rel, marker):
    root, validation = run_with(tmp_path, edits)
    hits = find(validation, code)
    assert hits, f"{code} not reported; got {[f.as_text() for f in validation.findings]}"
    expected_line = line_of(root, rel, marker)
    assert any(
        f.path == f"data/{rel}" and f.line == expected_line and f.severity == severity for f in hits
    ), [f.as_text() for f in hits]


def test_every_rule_code_has_a_failing_case():
    assert sorted(RULE_CODES) == sorted({c[0] for c in CASES})


@pytest.fixture(scope="module")
def example_validation():
    return validate_root(FIXTURES / "example")


@pytest.mark.parametrize("code", [c for c in RULE_CODES if c not in IN_EXAMPLE])
def test_example_registry_passes(example_validation, code):
    assert find(example_validation, code) == []


def test_rules_count_their_passes(example_validation):
    passed = {o.code for o in example_validation.outcomes if isinstance(o, Passed)}
    assert {"LEDGER-ALLOCATION-SUM", "VAL-TPE-NOT-DESIGNATED", "TIME-WINDOW-LENGTH"} <= passed


def test_the_example_gaps_are_incomplete_not_errors(example_validation):
    for code in IN_EXAMPLE:
        assert {f.severity for f in find(example_validation, code)} == {"incomplete"}
