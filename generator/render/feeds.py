"""Atom feeds: JC decisions, registrations and issuances, newest first.

Dates come from the records (never the clock); every text is XML-escaped by the serializer.
"""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(feed_id: str, title: str, base: str, entries: list[dict]) -> bytes:
    """`entries`: dicts with id, title, day, href (site-relative), summary."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    if base:
        root.set("{http://www.w3.org/XML/1998/namespace}base", base)
    ET.SubElement(root, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    newest = max((e["day"] for e in entries), default=date(2013, 1, 8))
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "JCM Registry"
    for e in sorted(entries, key=lambda e: (e["day"], e["id"]), reverse=True):
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e["title"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(e["day"])
        link = ET.SubElement(entry, f"{{{ATOM}}}link")
        link.set("href", e["href"])
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = e["summary"]
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
