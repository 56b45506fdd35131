"""Where things are in a methodology spreadsheet: shared by the writer and the reader.

Five sheets, as the published JCM spreadsheets have them:

- `MPS(input)`        Monitoring Plan Sheet, Input Sheet: estimated values of the monitored
                      parameters (Table 1), project-specific values fixed ex ante and default
                      values (Table 2), the default-value tables (Table 3)
- `MPS(calc_process)` Monitoring Plan Sheet, Calculation Process Sheet: the estimate per year
- `MSS`               Monitoring Structure Sheet: personnel and roles
- `MRS(input)`        Monitoring Report Sheet, Input Sheet: columns (a)–(k) of Table 1
- `MRS(calc_process)` Monitoring Report Sheet, Calculation Process Sheet: the period's figures
"""

from __future__ import annotations

MPS_INPUT = "MPS(input)"
MPS_CALC = "MPS(calc_process)"
MSS = "MSS"
MRS_INPUT = "MRS(input)"
MRS_CALC = "MRS(calc_process)"
SHEETS = (MPS_INPUT, MPS_CALC, MSS, MRS_INPUT, MRS_CALC)

TITLES = {
    MPS_INPUT: "Monitoring Plan Sheet (Input Sheet)",
    MPS_CALC: "Monitoring Plan Sheet (Calculation Process Sheet)",
    MSS: "Monitoring Structure Sheet",
    MRS_INPUT: "Monitoring Report Sheet (Input Sheet)",
    MRS_CALC: "Monitoring Report Sheet (Calculation Process Sheet)",
}

# Header cells, the same on every sheet.
NAME_CELL = "A1"  # JCM_XA_AM001_ver01.0
REFERENCE_LABEL = "A2"  # "Reference Number"
REFERENCE_CELL = "B2"  # the project id
TITLE_CELL = "A3"

# MRS(input): the monitoring period and the public address of the report.
PERIOD_LABEL = "A5"
PERIOD_START = "B5"
PERIOD_END = "D5"
SOURCE_LABEL = "A6"
SOURCE_CELL = "B6"
MRS_TABLE_TITLE_ROW = 8
MRS_HEADER_ROW = 9  # (a) … (k)
MRS_FIRST_ROW = 11  # first parameter row

MRS_COLUMNS = (
    ("a", "Monitoring period"),
    ("b", "Monitoring point No."),
    ("c", "Parameters"),
    ("d", "Description of data"),
    ("e", "Monitored values"),
    ("f", "Units"),
    ("g", "Monitoring option"),
    ("h", "Source of data"),
    ("i", "Measurement methods and procedures"),
    ("j", "Monitoring frequency"),
    ("k", "Other comments"),
)
COL = {letter: index + 1 for index, (letter, _) in enumerate(MRS_COLUMNS)}
"""Column number of each published column letter (a → 1 … k → 11)."""

OPTIONS_LEGEND = (
    (
        "Option A",
        "Based on public data which is measured by entities other than the project "
        "participants (data used: publicly recognized data such as statistical data "
        "and specifications)",
    ),
    (
        "Option B",
        "Based on the amount of transaction which is measured directly using "
        "measuring equipments (data used: commercial evidence such as invoices)",
    ),
    (
        "Option C",
        "Based on the actual measurement using measuring equipments (data used: measured values)",
    ),
)

MSS_ROLES = (
    (
        "Project Manager",
        "Responsible for project planning, implementation, monitoring results and reporting.",
    ),
    (
        "Project Deputy Manager",
        "In charge of approving the archived data after it is checked "
        "and corrected where necessary.",
    ),
    (
        "Monitoring operators",
        "In charge of monitoring and data management (data collection and storage).",
    ),
)


def spreadsheet_name(methodology: str, version: str) -> str:
    """`JCM_MN_AM003_ver02.0`, as the published spreadsheets are named."""
    return f"JCM_{methodology}_ver{version}"
