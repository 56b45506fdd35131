"""JSON Schemas of the record kinds, for editors (`schemas/<kind>.schema.json`).

Generated from the same models the validator uses; a test fails when the committed files drift
from the models. Every record starts with a `# yaml-language-server: $schema=…` line pointing at
its schema, so editors complete fields and flag mistakes before CI does.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from generator.schema import RECORD_MODELS

SCHEMA_DIR = "schemas"


def json_schema(kind: str) -> dict:
    schema = RECORD_MODELS[kind].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{kind}.schema.json",
        **schema,
    }


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(root: Path) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in RECORD_MODELS:
        path = out / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written


def header_for(kind: str, record_path: str) -> str:
    """The editor line for a record at `record_path` (posix, relative to the registry root)."""
    depth = len(PurePosixPath(record_path).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json"
