"""What the registry-wide checks need to know of a partner country's partition that is not loaded.

`jcm validate --changed-since` loads only the partitions a change touches and reads the others
as these summaries (made by `generator.changes`); the link stage and the ledger rules read
them beside the loaded records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A serial block another partition's issuance holds in a registry shared across partitions."""

    registry: str
    start: int
    end: int
    key: str
    path: str


@dataclass(frozen=True)
class Claim:
    """A TPE designation number claimed by a decision item (`ref`) of another partition."""

    ref: str
    number: str
    tpe: str
    country: str


@dataclass(frozen=True)
class Summary:
    """What the registry-wide checks need to know of a partition that is not loaded."""

    partition: str
    reaches: frozenset[str] = frozenset()
    """The other partitions its records refer to."""
    blocks: tuple[Block, ...] = ()
    claims: tuple[Claim, ...] = ()
