"""What an evidence photo's container says about it, under stable keys:

========================  ===========================================================
``mime``                  e.g. ``"image/jpeg"``
``exif``                  ``{tag name: str}`` from IFD0, the Exif IFD and the GPS IFD
``xmp``                   the raw XMP packet (``""`` when there is none)
``iptc``                  ``{IIM dataset name: str}`` (IPTC-IIM, e.g. ``"OriginatingProgram"``)
``png_text``              ``{keyword: str}`` from PNG tEXt / zTXt / iTXt chunks
``jpeg_quant_tables``     list of 64-int tables in natural (row-major) order; ``[]`` if none
``jpeg_subsampling``      ``"4:4:4"`` / ``"4:2:2"`` / ``"4:2:0"`` or ``None``
``exif_thumbnail``        the EXIF (IFD1) JPEG thumbnail bytes; key absent when there is none
``icc_profile_name``      ICC profile description or ``None``
``animated``              ``True`` when the file holds several frames (the first is kept)
``orientation``           the EXIF orientation that was applied (1 = none)
``bit_depth``             bits per sample before conversion to 8-bit
``original_mode``         the Pillow mode before conversion (e.g. ``"CMYK"``, ``"I;16"``)
========================  ===========================================================

It reads; it does not judge.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import ExifTags, Image, ImageCms, IptcImagePlugin, JpegImagePlugin

_SUBSAMPLING = {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}
# IPTC-IIM record 2 datasets a reader of evidence cares about; the rest keep their number.
_IPTC_NAMES = {
    (2, 5): "ObjectName",
    (2, 25): "Keywords",
    (2, 55): "DateCreated",
    (2, 65): "OriginatingProgram",
    (2, 70): "ProgramVersion",
    (2, 80): "Byline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "CopyrightNotice",
    (2, 120): "Caption",
}
# Binary blobs that say nothing to a reader and can be megabytes long.
_SKIPPED_EXIF_TAGS = {"MakerNote", "PrintImageMatching", "JPEGTables", "StripOffsets"}
_MAX_EXIF_TEXT = 4096


def container_metadata(image: Image.Image) -> dict[str, Any]:
    exif = image.getexif()
    metadata: dict[str, Any] = {
        "mime": Image.MIME.get(str(image.format), ""),
        "exif": _exif_dict(exif),
        "xmp": _xmp_packet(image),
        "iptc": _iptc_dict(image),
        "png_text": _png_text(image),
        "jpeg_quant_tables": _quant_tables(image),
        "jpeg_subsampling": _subsampling(image),
        "icc_profile_name": _icc_name(image.info.get("icc_profile")),
        "animated": bool(getattr(image, "is_animated", False)),
        "bit_depth": _bit_depth(image),
        "original_mode": image.mode,
    }
    thumbnail = _exif_thumbnail(image, exif)
    if thumbnail:
        metadata["exif_thumbnail"] = thumbnail
    return metadata


def _exif_dict(exif: Image.Exif) -> dict[str, str]:
    tags: dict[str, str] = {}
    sections: list[tuple[dict[int, Any], dict[int, str]]] = [(dict(exif), ExifTags.TAGS)]
    for ifd, names in (
        (ExifTags.IFD.Exif, ExifTags.TAGS),
        (ExifTags.IFD.GPSInfo, ExifTags.GPSTAGS),
    ):
        try:
            sections.append((dict(exif.get_ifd(ifd)), names))
        except (OSError, SyntaxError, ValueError, KeyError, IndexError, TypeError):
            continue  # a broken sub-IFD loses its tags, not the photo
    for values, names in sections:
        for tag, value in values.items():
            name = names.get(tag, f"0x{tag:04x}")
            if name in _SKIPPED_EXIF_TAGS or name in ("ExifOffset", "GPSInfo"):
                continue
            text = _exif_text(name, value)
            if text:
                tags[name] = text
    return tags


def _exif_text(name: str, value: Any) -> str:
    if isinstance(value, bytes):
        text = _user_comment(value) if name == "UserComment" else _bytes_text(value)
    elif isinstance(value, tuple):
        text = ", ".join(str(item) for item in value)
    else:
        text = str(value)
    return text.strip("\x00 ").strip()[:_MAX_EXIF_TEXT]


def _user_comment(value: bytes) -> str:
    """EXIF UserComment starts with an 8-byte charset code; A1111 writes UTF-16 there."""
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        candidates = [body.decode(enc, errors="replace") for enc in ("utf-16-be", "utf-16-le")]
        return max(candidates, key=lambda text: sum(ch.isascii() for ch in text))
    if code.startswith((b"ASCII", b"\x00\x00\x00\x00\x00\x00\x00\x00")):
        return body.decode("utf-8", errors="replace")
    return _bytes_text(value)


def _bytes_text(value: bytes) -> str:
    text = value.decode("utf-8", errors="replace").strip("\x00 ")
    printable = sum(ch.isprintable() for ch in text)
    return text if text and printable >= 0.9 * len(text) else value[:64].hex()


def _xmp_packet(image: Image.Image) -> str:
    raw = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(raw, str):
        return raw
    return bytes(raw).decode("utf-8", errors="replace").strip("\x00")


def _iptc_dict(image: Image.Image) -> dict[str, str]:
    if not isinstance(image, (JpegImagePlugin.JpegImageFile,)) and image.format != "TIFF":
        return {}
    try:
        info = IptcImagePlugin.getiptcinfo(image)  # type: ignore[arg-type]
    except (OSError, SyntaxError, ValueError, IndexError, KeyError, TypeError):
        return {}
    entries: dict[str, str] = {}
    for key, value in (info or {}).items():
        name = _IPTC_NAMES.get(key, f"{key[0]}:{key[1]}")
        parts = value if isinstance(value, list) else [value]
        entries[name] = "; ".join(part.decode("utf-8", errors="replace") for part in parts)
    return entries


def _png_text(image: Image.Image) -> dict[str, str]:
    if image.format != "PNG":
        return {}
    text = getattr(image, "text", {})  # reads every text chunk, also those after IDAT
    return {str(key): str(value) for key, value in text.items()}


def _quant_tables(image: Image.Image) -> list[list[int]]:
    tables = getattr(image, "quantization", None) or {}
    return [list(tables[index]) for index in sorted(tables)]


def _subsampling(image: Image.Image) -> str | None:
    if not isinstance(image, JpegImagePlugin.JpegImageFile):
        return None
    return _SUBSAMPLING.get(JpegImagePlugin.get_sampling(image))


def _icc_name(profile: object) -> str | None:
    if not isinstance(profile, bytes) or not profile:
        return None
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return None
    return description.strip() or None


def _bit_depth(image: Image.Image) -> int:
    declared = image.info.get("bit_depth")
    if isinstance(declared, int):
        return declared
    return 16 if image.mode.startswith("I;16") or image.mode in ("I", "F") else 8


def _exif_thumbnail(image: Image.Image, exif: Image.Exif) -> bytes | None:
    """The IFD1 JPEG, sliced from the raw EXIF block at the offsets Pillow parsed."""
    raw = image.info.get("exif")
    if not isinstance(raw, bytes):
        return None
    try:
        ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
    except (OSError, SyntaxError, ValueError, KeyError, IndexError, TypeError):
        return None
    offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
        return None
    tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
    thumbnail = tiff[offset : offset + length]
    return thumbnail if len(thumbnail) == length and thumbnail[:2] == b"\xff\xd8" else None
