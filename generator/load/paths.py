"""Where each record kind lives, and what its file name says (the data contract's path rules).

Kept as one table so that a new record kind is one new row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class Place:
    kind: str
    pattern: re.Pattern[str]
    folder: re.Pattern[str]
    expected: str
    """How a correct path looks, for the remedy."""


PLACES: tuple[Place, ...] = (
    Place(
        "country",
        re.compile(r"^data/countries/(?P<key>[A-Z]{2})\.yaml$"),
        re.compile(r"^data/countries/[^/]+$"),
        "data/countries/<CC>.yaml with the ISO code in capitals, e.g. data/countries/MN.yaml",
    ),
    Place(
        "decision",
        re.compile(rf"^data/decisions/(?P<key>[A-Z]{{2}}/{_DATE}-[a-z0-9]+(-[a-z0-9]+)*)\.yaml$"),
        re.compile(r"^data/decisions/[^/]+/[^/]+$"),
        "data/decisions/<CC>/<YYYY-MM-DD>-<slug>.yaml, e.g. data/decisions/MN/2016-09-29-4th-jc.yaml",
    ),
    Place(
        "methodology",
        re.compile(r"^data/methodologies/(?P<key>[A-Z]{2}_(AM|PM)\d{3})\.yaml$"),
        re.compile(r"^data/methodologies/[^/]+$"),
        "data/methodologies/<ID>.yaml, e.g. data/methodologies/MN_AM003.yaml",
    ),
    Place(
        "tpe",
        re.compile(r"^data/tpes/(?P<key>[a-z0-9]+(-[a-z0-9]+)*)\.yaml$"),
        re.compile(r"^data/tpes/[^/]+$"),
        "data/tpes/<slug>.yaml with a lowercase slug, e.g. data/tpes/jqa.yaml",
    ),
    Place(
        "project",
        re.compile(r"^data/projects/(?P<key>[A-Z]{2}(\d{3}|_PIN\d{3}))/project\.yaml$"),
        re.compile(r"^data/projects/[^/]+/[^/]+$"),
        "data/projects/<ID>/project.yaml, e.g. data/projects/MN003/project.yaml",
    ),
    Place(
        "monitoring",
        re.compile(
            rf"^data/projects/(?P<key>[A-Z]{{2}}\d{{3}}/monitoring/{_DATE}_{_DATE})\.(yaml|xlsx)$"
        ),
        re.compile(r"^data/projects/[^/]+/monitoring/[^/]+$"),
        "data/projects/<ID>/monitoring/<start>_<end>.yaml, e.g. "
        "data/projects/MN003/monitoring/2017-08-26_2018-05-31.yaml",
    ),
    Place(
        "issuance",
        re.compile(rf"^data/projects/(?P<key>[A-Z]{{2}}\d{{3}}/issuances/{_DATE})\.yaml$"),
        re.compile(r"^data/projects/[^/]+/issuances/[^/]+$"),
        "data/projects/<ID>/issuances/<notification-date>.yaml, e.g. "
        "data/projects/MN003/issuances/2018-11-06.yaml",
    ),
)

PLACES += tuple(
    Place(
        name,
        re.compile(rf"^data/reference/(?P<key>{name})\.yaml$"),
        re.compile(r"^data/reference/[^/]+$"),
        "data/reference/<table>.yaml, one of rule-documents, mechanisms, sectoral-scopes, "
        "financing-programmes",
    )
    for name in ("rule-documents", "mechanisms", "sectoral-scopes", "financing-programmes")
)

ALL_PLACES = "; ".join(dict.fromkeys(place.expected.split(",")[0] for place in PLACES))


@dataclass(frozen=True)
class Classified:
    kind: str | None
    key: str | None
    code: str | None = None
    """The finding code when the path is not a record's place."""
    expected: str = ""


def classify(path: str) -> Classified:
    """What record kind `path` (posix, relative to the registry root) holds, and its key."""
    for place in PLACES:
        match = place.pattern.match(path)
        if match:
            return Classified(place.kind, match.group("key"))
    name = path.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("yaml", "yml"):
        return Classified(None, None, "PATH-NOT-YAML")
    for place in PLACES:
        if place.folder.match(path):
            return Classified(place.kind, None, "PATH-NAME", place.expected)
    return Classified(None, None, "PATH-UNKNOWN", ALL_PLACES)


_PARTITION = re.compile(
    r"^data/(?:countries/(?P<c>[A-Z]{2})\.[^/]*"
    r"|decisions/(?P<d>[A-Z]{2})(?:/.*)?"
    r"|methodologies/(?P<m>[A-Z]{2})_[^/]*"
    r"|projects/(?P<p>[A-Z]{2})[0-9_][^/]*(?:/.*)?)$"
)


def partition_of(path: str) -> str | None:
    """The partner country whose partition holds `path`, or None for what all countries share.

    A partition is one Joint Committee's part of the registry: its country file, decisions,
    methodologies (ids start with the country code) and projects (with their monitoring reports
    and issuances). TPEs, reference tables and anything unrecognised are shared.
    **Why:** each JC decides only for its own country, so records reach across partitions only
    by mistake (an ID-COUNTRY finding); that lets one country be re-checked alone.
    """
    match = _PARTITION.match(path)
    # one named group per alternative, and only the one that matched takes part
    return match[match.lastgroup] if match is not None and match.lastgroup else None
