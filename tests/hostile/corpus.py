"""Build a registry whose text fields carry the hostile strings of `strings.yaml`."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import yaml

from tests.conftest import FIXTURES

HERE = Path(__file__).resolve().parent


@cache
def cases() -> list[dict]:
    return yaml.safe_load((HERE / "strings.yaml").read_text("utf-8"))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def escaped_cases() -> list[dict]:
    return [c for c in cases() if c["outcome"] == "escaped"]


def build_registry(root: Path) -> Path:
    """The example registry with hostile text in titles, names, texts, notes, sources and
    methodology symbols."""
    shutil.copytree(FIXTURES / "example", root)
    data = root / "data"
    texts = [c["text"] for c in escaped_cases()]
    narrative = next(c["text"] for c in cases() if c["outcome"] == "sanitised")
    joined = " ".join(texts).replace("\n", " ")

    def sub(rel: str, old: str, new: str) -> None:
        path = data / rel
        content = path.read_text("utf-8")
        assert old in content, (rel, old)
        path.write_text(content.replace(old, new, 1), "utf-8")

    sub(
        "projects/XA001/project.yaml",
        "title: Installation of 1.2 MW Rooftop Solar Power Systems in Example City (fictional)",
        f"title: {_q('Hostile title ' + joined)}",
    )
    sub(
        "projects/XA001/project.yaml",
        "  - {name: Example Solar K.K., focal_point: true}",
        f"  - {{name: {_q('Participant ' + texts[0] + ' ' + texts[1])}, focal_point: true}}",
    )
    sub(
        "projects/XA001/project.yaml",
        "description: |\n  Two rooftop PV systems supply a **fictional** factory and its warehouse.",
        f"description: {_q(narrative)}",
    )
    sub(
        "projects/XA001/project.yaml",
        "stakeholder_consultation: A meeting was held with the factory's workers on 2019-05-02.",
        f"stakeholder_consultation: {_q(narrative)}",
    )
    sub(
        "projects/XA001/project.yaml",
        "    title: Fictional project page",
        f"    title: {_q('Source ' + joined)}",
    )
    for i, text in enumerate(texts):
        pid = f"XA1{i:02d}"
        (data / f"projects/{pid}").mkdir(parents=True)
        (data / f"projects/{pid}/project.yaml").write_text(
            "# yaml-language-server: $schema=../../../schemas/project.schema.json\n"
            f"id: {pid}\ncountry: XA\ntitle: {_q(text)}\n"
            f"participants:\n  partner:\n    - {{name: {_q(text)}}}\n"
            f"location: {{region: {_q(text)}, city: {_q(text)}}}\n"
            f"notes: {_q(text)}\n"
            f"status_as_published: validation\n"
            f'sources:\n  - {{id: S, title: {_q(text)}, url: "https://example.org/s"}}\n',
            "utf-8",
        )
    sub(
        "decisions/XA/2021-04-15-3rd-jc.yaml",
        "    text: Interim measure allowing remote site visits until the end of 2021.",
        f"    text: {_q(joined)}",
    )
    sub(
        "decisions/XA/2021-04-15-3rd-jc.yaml",
        "title: 3rd Joint Committee in Example City (hybrid)",
        f"title: {_q('3rd JC ' + texts[0])}",
    )
    sub(
        "methodologies/XA_AM001.yaml",
        "title: Installation of Solar PV System (fictional)",
        f"title: {_q('Methodology ' + joined)}",
    )
    by_id = {c["id"]: c["text"] for c in escaped_cases()}
    for symbol, case in [
        ("EG_{i,p}", "javascript-link"),
        ("EC_{aux,p}", "markdown-injection"),
        ("EF_{RE}", "attribute-list"),
    ]:  # symbols are free text shown inside inline HTML on the methodology page
        sub("methodologies/XA_AM001.yaml", f'- symbol: "{symbol}"', f"- symbol: {_q(by_id[case])}")
    sub(
        "tpes/example-assurance.yaml",
        "legal_name: Example Assurance Organization",
        f"legal_name: {_q('TPE ' + texts[1])}",
    )
    sub(
        "countries/XA.yaml",
        "  en: Republic of Exampleland",
        f"  en: {_q('Exampleland ' + texts[0])}",
    )
    return root
