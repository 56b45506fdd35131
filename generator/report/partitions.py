"""Each partner country's partition summarised after a full run, for later runs on a change.

A summary (`generator.load.summary`) is keyed by the digest of its partition's files as git
names them, so `jcm validate --changed-since` (`generator.changes`) reads an unchanged
partition's summary without opening one of its files.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.link.dependencies import partition_of_ref, references
from generator.load.paths import partition_of
from generator.load.records import Loaded, Record
from generator.load.summary import Block, Claim, Summary
from generator.rules.ledger import serial_blocks
from generator.util.cache import Cache, key_of


def summarise(partition: str, records: Iterable[Record]) -> Summary:
    """The summary of one partition, from its loaded records."""
    reaches: set[str] = set()
    blocks: list[Block] = []
    claims: dict[str, Claim] = {}
    for record in records:
        for ref in references(record):
            other = partition_of_ref(ref)
            if other is not None and other != partition:
                reaches.add(other)
        if record.kind == "issuance":
            blocks += [
                Block(registry, start, end, record.key, record.path)
                for registry, start, end, _where in serial_blocks(record)
                if registry != partition
            ]
        elif record.kind == "decision":
            for item in record.model.items:
                if item.type == "designate_tpe" and item.number:
                    ref = f"{record.key}#{item.id}"
                    claims[ref] = Claim(ref, item.number, item.tpe, record.model.country)
    return Summary(partition, frozenset(reaches), tuple(blocks), tuple(claims.values()))


def summaries_of(loaded: Loaded) -> dict[str, Summary]:
    """A summary of every partition that has files in `loaded`."""
    grouped: dict[str, list[Record]] = {}
    for path in [*loaded.blobs, *loaded.inputs]:
        part = partition_of(path)
        if part is not None:
            grouped.setdefault(part, [])
    for record in loaded.all_records():
        part = partition_of(record.path)
        if part is not None:
            grouped.setdefault(part, []).append(record)
    return {part: summarise(part, records) for part, records in grouped.items()}


def partition_digest(files: Iterable[tuple[str, str]]) -> str:
    """The digest of a partition's content from (path, git blob id) pairs."""
    lines = sorted(f"{path}\0{blob}" for path, blob in files)
    return key_of("partition", *lines)


def digests_of(blobs: dict[str, str]) -> dict[str, str]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for path, blob in blobs.items():
        part = partition_of(path)
        if part is not None:
            grouped.setdefault(part, []).append((path, blob))
    return {part: partition_digest(files) for part, files in grouped.items()}


def remember_partitions(loaded: Loaded, cache: Cache) -> None:
    """After a full run: keep each partition's summary, for later partitioned runs.

    A partition with a file that could not be read whole (too large, a symbolic link) is not
    kept: its digest could not match the one git gives.
    """
    digests = digests_of(loaded.blobs)
    known = cache.get_many("partition", digests.values())
    wanted = {part for part, digest in digests.items() if digest not in known}
    if not wanted:
        return
    summaries = summaries_of(loaded)
    cache.put_many("partition", {digests[p]: summaries[p] for p in wanted if p in summaries})
