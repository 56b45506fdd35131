"""`jcm check-links`: every external address the records cite, checked over the network.

Run weekly by CI (never in the test suite's default path, which is offline); broken links are
reported, not fixed, and never block a deploy.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.records import load_registry
from generator.load.tree import WorkingTree


@dataclass
class LinkResult:
    url: str
    ok: bool
    status: str
    used_by: list[str] = field(default_factory=list)


def collect(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for inner in value.values():
            collect(inner, found)
    elif isinstance(value, list):
        for inner in value:
            collect(inner, found)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        found.add(value)


def check_one(url: str, timeout: float) -> tuple[bool, str]:
    request = urllib.request.Request(
        url, method="HEAD", headers={"User-Agent": "jcm-registry link checker"}
    )
    for attempt in ("HEAD", "GET"):
        request.method = attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return True, str(response.status)
        except urllib.error.HTTPError as exc:
            if attempt == "HEAD" and exc.code in (403, 405, 501):
                continue
            return exc.code < 400, f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            return False, type(exc).__name__ + ": " + str(getattr(exc, "reason", exc))[:100]
    return False, "no answer"


def check_links(root: Path, timeout: float = 20.0) -> list[LinkResult]:
    loaded = load_registry(WorkingTree(root))
    users: dict[str, list[str]] = {}
    for record in loaded.all_records():
        found: set[str] = set()
        collect(record.model.model_dump(mode="json"), found)
        for url in found:
            users.setdefault(url, []).append(record.path)
    urls = sorted(users)
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda u: check_one(u, timeout), urls))
    return [
        LinkResult(u, ok, status, sorted(users[u]))
        for u, (ok, status) in zip(urls, outcomes, strict=True)
    ]


def report(results: list[LinkResult]) -> str:
    broken = [r for r in results if not r.ok]
    lines = [f"## External links: {len(results)} checked, {len(broken)} broken", ""]
    if broken:
        lines += ["| Address | Problem | Records |", "|---|---|---|"]
        for r in broken:
            lines.append(
                f"| {r.url} | {r.status} | {', '.join(f'`{p}`' for p in r.used_by[:5])}"
                f"{' …' if len(r.used_by) > 5 else ''} |"
            )
    return "\n".join(lines) + "\n"
