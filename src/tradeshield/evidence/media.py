"""Recognising what an uploaded file is from its first bytes, not from what the client says."""

from __future__ import annotations

from tradeshield.evidence.kinds import EvidenceKind

_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"BM", "image/bmp"),
)
_ISO_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
    b"isom": "video/mp4",
    b"iso2": "video/mp4",
    b"mp41": "video/mp4",
    b"mp42": "video/mp4",
    b"qt  ": "video/quicktime",
    b"M4V ": "video/mp4",
}


def sniff_media_type(head: bytes) -> str | None:
    for offset, magic, media_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _ISO_BRANDS.get(head[8:12])
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def kind_accepts(kind: EvidenceKind, media_type: str | None) -> bool:
    if kind is EvidenceKind.PHOTO:
        return media_type is not None and media_type.startswith("image/")
    if kind is EvidenceKind.VIDEO:
        return media_type is not None and media_type.startswith("video/")
    return False
