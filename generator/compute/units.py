"""Units of measurement (pint, with exact decimals).

CO2 is its own dimension here, so that `tCO2/MWh × MWh` reduces to `tCO2` and an energy or a
mass can never be mistaken for an emission. Conversion factors between units are exact decimals
(kWh → MWh is 0.001), computed once per methodology, so evaluation itself is plain decimal
arithmetic.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pint

EMISSIONS = "tCO2"


@cache
def registry() -> pint.UnitRegistry:
    """pint's units, with the emission units defined.

    **Why** pint's own definitions cache (in the user's cache folder, like pip's): parsing
    pint's definition file takes about half the time of a one-project `--changed-since` run.
    The cache is keyed by the definition file's content; if it cannot be read (another process
    writing it, a read-only home), the definitions are parsed as without it.
    """
    try:
        ureg = pint.UnitRegistry(
            non_int_type=Decimal, autoconvert_offset_to_baseunit=False, cache_folder=":auto:"
        )
    except Exception:  # any failure of the optional cache: parse afresh
        ureg = pint.UnitRegistry(non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
    ureg.define("tCO2 = [carbon_dioxide]")
    ureg.define("tCO2e = tCO2")
    ureg.define("kgCO2 = tCO2 / 1000")
    ureg.define("kgCO2e = kgCO2")
    ureg.define("gCO2 = kgCO2 / 1000")
    return ureg


class UnitError(ValueError):
    pass


@cache
def parse_unit(text: str) -> pint.Unit:
    """`tCO2/MWh` → a unit; `-`, `dimensionless`, `ratio` and `%` are accepted for pure numbers."""
    cleaned = text.strip()
    if cleaned in ("-", "", "dimensionless", "ratio", "—"):
        return registry().dimensionless
    try:
        return registry().Unit(cleaned)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        ValueError,
        AttributeError,
        TypeError,
        AssertionError,
    ) as exc:
        raise UnitError(f"`{text}` is not a unit the registry knows") from exc
    except Exception as exc:  # pint raises assorted parser errors on hostile text
        raise UnitError(f"`{text}` is not a unit the registry knows") from exc


def compatible(a: pint.Unit, b: pint.Unit) -> bool:
    return a.dimensionality == b.dimensionality


@cache
def factor(source: pint.Unit, target: pint.Unit) -> Decimal:
    """The exact factor turning a value in `source` into `target` (both of one dimension)."""
    if source == target:
        return Decimal(1)
    value = registry().Quantity(Decimal(1), source).to(target).magnitude
    return Decimal(value).normalize()


def reduces_to_emissions(unit: pint.Unit) -> bool:
    return compatible(unit, parse_unit(EMISSIONS))
