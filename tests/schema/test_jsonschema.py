"""The committed JSON Schemas are the models' (a drift fails here); every record names one."""

from __future__ import annotations

import json

from generator.cli import main
from generator.schema import RECORD_MODELS
from generator.schema.jsonschema import schema_text
from tests.conftest import ROOT


def test_committed_schemas_match_the_models():
    for kind in RECORD_MODELS:
        path = ROOT / "schemas" / f"{kind}.schema.json"
        assert path.read_text("utf-8") == schema_text(kind), f"run `jcm schemas` ({kind})"
    assert main(["schemas", "--check", "--root", str(ROOT)]) == 0


def test_schemas_forbid_unknown_fields():
    schema = json.loads(schema_text("project"))
    assert schema["additionalProperties"] is False
    assert "title" in schema["required"]


def test_every_bundled_record_starts_with_its_schema_line():
    from generator.pipeline import validate_root

    result = validate_root(ROOT)
    assert [f.as_text() for f in result.findings if f.code == "FILE-SCHEMA-LINE"] == []
