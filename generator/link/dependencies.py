"""Which records a record refers to, and which partner country's partition each one lies in.

One table of dependencies serves `jcm validate --changed-since` (what a change touches) and
the partitioned validation (which countries must be checked together).
"""

from __future__ import annotations

from generator.load.records import Record


def references(record: Record) -> set[str]:
    """The records a record refers to, as `kind:key` (what must be re-checked with it)."""
    m = record.model
    out: set[str] = set()
    kind = record.kind
    if kind == "project":
        out.add(f"country:{m.country}")
        if m.pin:
            out.add(f"project:{m.pin}")
        for applied in m.methodologies:
            out.add(f"methodology:{applied.methodology.split('@')[0]}")
        if m.validation:
            out.add(f"tpe:{m.validation.tpe}")
        out.update(f"project:{r.project}" for r in m.related)
    elif kind == "monitoring":
        out.add(f"project:{m.project}")
        if m.methodology:
            out.add(f"methodology:{m.methodology.split('@')[0]}")
        if m.verification:
            out.add(f"tpe:{m.verification.tpe}")
    elif kind == "issuance":
        out.add(f"project:{m.project}")
        out.update(f"project:{p}" for p in m.joint_with)
        if m.notification:
            out.add(f"decision:{m.notification.split('#')[0]}")
    elif kind == "decision":
        out.add(f"country:{m.country}")
        for item in m.items:
            for attr, target in (
                ("project", "project"),
                ("pin", "project"),
                ("methodology", "methodology"),
                ("proposal", "methodology"),
                ("tpe", "tpe"),
            ):
                value = getattr(item, attr, None)
                if value:
                    out.add(f"{target}:{value}")
            for other in getattr(item, "joint_with", []):
                out.add(f"project:{other}")
    elif kind == "methodology":
        out.add(f"country:{m.country}")
        if m.revises:
            out.add(f"methodology:{m.revises}")
    elif kind == "tpe":
        out.update(f"country:{d.country}" for d in m.designations)
    elif kind == "country":
        for doc in m.rule_documents:
            if doc.adopted_by:
                out.add("decision:" + doc.adopted_by.split("#")[0])
    return out


def partition_of_ref(ref: str) -> str | None:
    """`project:MN003` → `MN`; None for what all partitions share (TPEs, reference tables).

    Identifiers carry their country (`MN_AM003`, `MN/2017-…`, `MN_PIN001`), as the data
    contract fixes; a malformed one belongs to no partition (it resolves nowhere anyway).
    """
    kind, _, key = ref.partition(":")
    if kind in ("country", "decision", "methodology", "project"):
        code = key[:2]
        if len(code) == 2 and code.isascii() and code.isupper() and code.isalpha():
            return code
    return None
