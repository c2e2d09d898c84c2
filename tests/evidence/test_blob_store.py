"""Content-addressed blobs are named by their hash and never overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeshield.errors import Invalid, TooLarge
from tradeshield.evidence.blobs import LocalBlobStore, chunked
from tradeshield.evidence.media import sniff_media_type


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(st.binary(min_size=1, max_size=5000))
def test_put_names_the_blob_by_sha256(tmp_path: Path, data: bytes) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    stored = store.put(chunked(data), max_bytes=10_000)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert store.open_bytes(stored.sha256) == data


def test_second_put_of_same_bytes_does_not_rewrite(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first = store.put([b"evidence"], max_bytes=100)
    path = store.path_for(first.sha256)
    before = path.stat().st_mtime_ns
    second = store.put([b"evidence"], max_bytes=100)
    assert first.created
    assert not second.created
    assert path.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".incoming-*"))


def test_too_large_leaves_nothing_behind(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(TooLarge):
        store.put([b"x" * 60, b"y" * 60], max_bytes=100)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_path_traversal_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid):
        LocalBlobStore(tmp_path).path_for("../../etc/passwd")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe1\x00\x00Exif", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00", "video/mp4"),
        (b"hello world", None),
    ],
)
def test_format_is_recognised_from_the_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head) == expected
