"""Pydantic's errors in plain words; an error type without a mapping falls back to SCHEMA-INVALID."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from generator.findings import catalogue
from generator.load.yaml_source import parse_yaml
from generator.schema.errors import _messages, field_path, findings_from_validation_error


class Odd(BaseModel):
    count: int = Field(multiple_of=5)


def test_unmapped_error_types_fall_back_to_schema_invalid():
    parsed = parse_yaml(b"count: 7\n", "x.yaml")
    with pytest.raises(ValidationError) as info:
        Odd.model_validate(parsed.data)
    (finding,) = findings_from_validation_error(info.value, Odd, parsed, "x.yaml")
    assert (finding.code, finding.line, finding.col) == ("SCHEMA-INVALID", 1, 8)
    assert "multiple of 5" in finding.message


def test_every_mapped_code_is_in_the_catalogue():
    codes = {spec["code"] for spec in _messages()["errors"].values()}
    assert codes <= set(catalogue())


def test_field_paths_read_like_the_yaml():
    assert field_path(("items", 2, "project")) == "items[2].project"
    assert field_path(()) == "the record"
