"""A per-tenant hash chain over evidence records.

Each link commits to its position, the record (a SHA-256 over the record's canonical JSON,
which itself names the SHA-256 of every file it refers to) and the link before it, so
changing a byte of a record or a file, removing a link or swapping two links changes a hash
that every later link depends on. ``verify`` walks the links and names the first broken one.

Someone who can write the database could still rewrite a record and every link after it into
a chain that holds on its own. Heads published outside the database (``Anchor``: a position
and the link hash it had, kept by a courier, a platform or an operator's own log) pin the
past: ``verify`` with anchors also fails when a published link has changed or is gone.
Pure: no database, no clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(record: Mapping[str, Any]) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def entry_hash(seq: int, record_type: str, record_id: int, record_sha256: str, prev: str) -> str:
    message = f"{seq}|{record_type}|{record_id}|{record_sha256}|{prev}".encode()
    return hashlib.sha256(message).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    seq: int
    record_type: str
    record_id: int
    record_sha256: str
    prev_hash: str
    entry_hash: str


def next_link(previous: Link | None, record_type: str, record_id: int, record_sha: str) -> Link:
    seq = 1 if previous is None else previous.seq + 1
    prev = GENESIS if previous is None else previous.entry_hash
    return Link(seq, record_type, record_id, record_sha, prev, entry_hash(
        seq, record_type, record_id, record_sha, prev
    ))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head published earlier: link ``seq`` had ``entry_hash``."""

    seq: int
    entry_hash: str


@dataclass(frozen=True, slots=True)
class Break:
    seq: int  # the first link that does not hold (or the position where one is missing)
    problem: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    links: int
    head: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


RecordLookup = Callable[[str, int], Mapping[str, Any] | None]
FileCheck = Callable[[str], bool]


def _file_hashes(record: Mapping[str, Any]) -> list[str]:
    return [str(sha) for sha in record.get("file_sha256s", [])]


def _check_link(
    link: Link, expected_seq: int, prev: str, records: RecordLookup, file_ok: FileCheck
) -> str | None:
    if link.seq != expected_seq:
        return f"expected link {expected_seq} here, found {link.seq} (removed or reordered)"
    if link.prev_hash != prev:
        return "prev_hash does not name the link before (removed or reordered)"
    recomputed = entry_hash(link.seq, link.record_type, link.record_id, link.record_sha256, prev)
    if recomputed != link.entry_hash:
        return "entry_hash does not match the link's contents"
    record = records(link.record_type, link.record_id)
    if record is None:
        return f"{link.record_type} {link.record_id} is missing"
    if record_hash(record) != link.record_sha256:
        return f"{link.record_type} {link.record_id} was changed after it was chained"
    for sha in _file_hashes(record):
        if not file_ok(sha):
            return f"file {sha} of {link.record_type} {link.record_id} is missing or changed"
    return None


def verify(
    links: Iterable[Link],
    records: RecordLookup,
    file_ok: FileCheck,
    anchors: Iterable[Anchor] = (),
) -> ChainReport:
    """Walk ``links`` in stored order; stop at the first that does not hold. Then every anchor
    must name a link that is still there with the hash it had when it was published."""
    # Link 0 is the empty chain's head: it pins nothing.
    published = {anchor.seq: anchor.entry_hash for anchor in anchors if anchor.seq > 0}
    seen: dict[int, str] = {}
    prev, count = GENESIS, 0
    for count, link in enumerate(links, start=1):
        problem = _check_link(link, count, prev, records, file_ok)
        if problem is not None:
            return ChainReport(count - 1, prev, Break(count, problem))
        if link.seq in published:
            seen[link.seq] = link.entry_hash
        prev = link.entry_hash
    for seq in sorted(published):
        if seq not in seen:
            problem = f"link {seq} was published but the chain ends at link {count} (truncated)"
            return ChainReport(count, prev, Break(seq, problem))
        if seen[seq] != published[seq]:
            problem = f"link {seq} differs from the head published for it (chain rewritten)"
            return ChainReport(count, prev, Break(seq, problem))
    return ChainReport(count, prev, None)
