"""The models are the contract: every field documented, every field exercised by the example."""

from __future__ import annotations

from pydantic import BaseModel

from generator.load.tree import WorkingTree
from generator.pipeline import validate_tree
from generator.schema import RECORD_MODELS
from generator.schema.base import display_version, nested_models


def all_models() -> set[type[BaseModel]]:
    return {part for model in RECORD_MODELS.values() for part in nested_models(model)}


def test_every_field_has_a_description_and_an_example():
    missing = [
        f"{model.__name__}.{name}"
        for model in all_models()
        for name, field in model.model_fields.items()
        if not field.description or not field.examples
    ]
    assert missing == []


def owner(model: type[BaseModel], name: str) -> type:
    """The class that declares a field (inherited fields count once, for their declarer)."""
    for cls in model.__mro__:
        if name in getattr(cls, "__annotations__", {}):
            return cls
    return model


def _used(value, used: set) -> None:
    if isinstance(value, BaseModel):
        for name in value.model_fields_set:
            used.add((owner(type(value), name), name))
            _used(getattr(value, name), used)
    elif isinstance(value, list | tuple):
        for item in value:
            _used(item, used)
    elif isinstance(value, dict):
        for item in value.values():
            _used(item, used)


def test_example_registry_uses_every_record_kind_and_every_field(example_root):
    result = validate_tree(WorkingTree(example_root))
    assert [f.as_text() for f in result.findings if f.severity == "error"] == []
    used: set = set()
    for kind, records in result.loaded.records.items():
        assert records, f"the example registry has no {kind} record"
        for record in records.values():
            _used(record.model, used)
    unused = sorted(
        {
            f"{owner(model, name).__name__}.{name}"
            for model in all_models()
            for name in model.model_fields
            if (owner(model, name), name) not in used
        }
    )
    assert unused == [], "fields the example registry never sets"


def test_display_version():
    assert display_version("02.0") == "Ver2.0"
    assert display_version("01.1") == "Ver1.1"
    assert display_version("10.0") == "Ver10.0"
