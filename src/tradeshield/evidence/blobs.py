"""Content-addressed blob storage. A blob is named by its SHA-256 and never overwritten."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tradeshield.errors import Invalid, NotFound, TooLarge

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size_bytes: int
    created: bool


class BlobStore(Protocol):
    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob: ...

    def open_bytes(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore:
    """Blobs under ``root/ab/cd/<sha256>``, written to a temp file then linked into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise Invalid("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob:
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"upload is larger than {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha256 = digest.hexdigest()
            final = self.path_for(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                # link() refuses to replace an existing name, so a stored blob is never rewritten
                os.link(temp_name, final)
                created = True
            except FileExistsError:
                created = False
            return StoredBlob(sha256=sha256, size_bytes=size, created=created)
        finally:
            os.unlink(temp_name)

    def open_bytes(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        if not path.exists():
            raise NotFound(f"no blob {sha256}")
        return path.read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()


def chunked(data: bytes) -> Iterable[bytes]:
    for start in range(0, len(data), _CHUNK):
        yield data[start : start + _CHUNK]
