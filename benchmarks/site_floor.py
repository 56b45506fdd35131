"""The floor for the site build: the same engine and theme (mkdocs-material, no plugins, a small
navigation, as the registry's `mkdocs.yml`) building the same number of one-paragraph pages,
then the same search indexing (Pagefind, with the registry's options). Each page's content is
marked as its searchable part by the theme override, as the registry marks its hand-written
pages (its record pages mark their record): Pagefind starts there on both. The mark is not in
the Markdown, which would add `md_in_html`'s work to the floor's conversion. Prints JSON.

`python -m benchmarks.site_floor PAGES WORKDIR`
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.site_build import ChildPeaks
from generator.publish.search import index as search_index

CONFIG = """site_name: Floor
site_url: ""
use_directory_urls: true
theme:
  name: material
  custom_dir: overrides
  font: false
  features: [navigation.sections, navigation.top]
plugins: []
markdown_extensions: [attr_list, md_in_html, tables, {toc: {permalink: true}}]
nav:
  - Home: index.md
"""

PARAGRAPH = (
    "Page {n} of the floor. A project of the Joint Crediting Mechanism installs solar panels "
    "and reports its monitored electricity; the Joint Committee registers it and notifies the "
    "issuance of credits to both governments."
)


# as the registry's site_overrides/main.html marks a hand-written page
MAIN = """{% extends "base.html" %}
{% block content %}<div data-pagefind-body>{{ super() }}</div>{% endblock %}
"""


def write_project(work: Path, pages: int) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    docs = work / "docs"
    docs.mkdir(parents=True)
    (work / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (work / "overrides").mkdir()
    (work / "overrides" / "main.html").write_text(MAIN, encoding="utf-8")
    (docs / "index.md").write_text("# Floor\n\n" + PARAGRAPH.format(n=0) + "\n")
    for n in range(1, pages):
        page = docs / "pages" / f"{n // 1000:03d}" / f"p{n:06d}" / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# Page {n}\n\n{PARAGRAPH.format(n=n)}\n", encoding="utf-8")
    return work


def main(pages: int, work: Path) -> dict:
    project = write_project(work, pages)
    with ChildPeaks() as children:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(project / "mkdocs.yml")],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        engine = time.perf_counter() - start
        start = time.perf_counter()
        search_index(project / "site")
        indexer = time.perf_counter() - start
    return {
        "pages": pages,
        "site_engine_seconds": engine,
        "search_index_seconds": indexer,
        "seconds": engine + indexer,
        "peak_mib_children": children.peak_kib / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), Path(sys.argv[2])), indent=1))
