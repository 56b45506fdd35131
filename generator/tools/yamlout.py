"""Write records as YAML text: exact decimals as written, dates unquoted, order kept.

Used where the generator writes a record for a person to review (an imported monitoring sheet,
a scaffold); never to write derived values back into data files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if "." not in text:
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _decimal)


def dump_record(data: dict[str, Any], schema: str | None = None) -> str:
    """A record as YAML, with the editor's schema line first when given."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    return header + text
