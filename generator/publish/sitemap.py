"""`sitemap.xml` (and its gzip copy): every page of the site, hand-written and generated.

mkdocs lists only the pages it builds; the generator writes the sitemap of the whole site. The
sitemap protocol wants absolute addresses, made from `site_url`; without one, each address is
relative to the sitemap itself. Every page is dated by the data's date (the last commit), so the
same commit gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape


def sitemap(urls: Iterable[str], site_url: str, day: datetime | None) -> bytes:
    """The sitemap of the pages at `urls` (addresses relative to the site's root)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    lastmod = f"<lastmod>{day.date().isoformat()}</lastmod>" if day else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for url in sorted(urls):
        lines.append(f"<url><loc>{escape(base + url) or './'}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """`data` gzipped with no time and no file name (the same bytes for the same data)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as out:
        out.write(data)
    return buffer.getvalue()
