"""Provenance detector: what the file itself says about how the picture was made.

Reads C2PA Content Credentials, the GB 45438 AIGC label, IPTC digital source types, image
generator settings, the software named in EXIF / XMP / IPTC / PNG text, the EXIF preview
image, and the JPEG quantisation tables. It never looks at what the pixels show: metadata can
be stripped (absence proves nothing) or forged (so only labels that hurt their author, and
signed statements, count as proof).

``detect(image)`` returns a `DetectorResult` named ``provenance``; its heat map is set only
when the EXIF preview localises a change.
"""

from __future__ import annotations

from tradeshield.forensics.findings import DetectorResult, Finding, HeatMap
from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.provenance.capture import capture_findings
from tradeshield.forensics.provenance.content_credentials import manifest_findings, read_manifest
from tradeshield.forensics.provenance.labels import (
    aigc_label_findings,
    generator_parameter_findings,
    source_type_findings,
)
from tradeshield.forensics.provenance.software import (
    match_software,
    software_fields,
    software_findings,
)
from tradeshield.forensics.provenance.tables import DETECTOR, tables
from tradeshield.forensics.provenance.thumbnail import thumbnail_findings
from tradeshield.forensics.provenance.xmp import parse_xmp

__all__ = ["DETECTOR", "VERSION", "detect"]

VERSION = "provenance-1.0.0"

_EXIF_TEXT_FIELDS = ("UserComment", "ImageDescription", "XPComment", "Artist")


def detect(image: LoadedImage) -> DetectorResult:
    metadata = image.metadata
    exif: dict[str, str] = metadata.get("exif", {})
    png_text: dict[str, str] = metadata.get("png_text", {})
    iptc: dict[str, str] = metadata.get("iptc", {})
    packet: str = metadata.get("xmp", "")
    xmp = parse_xmp(packet)

    findings: list[Finding] = []
    software_texts = software_fields(exif, xmp, iptc, png_text)
    manifest = read_manifest(image.source, str(metadata.get("mime", "")))
    if manifest is not None:
        findings += manifest_findings(manifest)
        software_texts += [("c2pa:claim_generator", name) for name in manifest.software]
    findings += aigc_label_findings(packet, xmp, png_text)
    findings += source_type_findings(xmp)
    texts = {**png_text, **{name: exif[name] for name in _EXIF_TEXT_FIELDS if exif.get(name)}}
    findings += generator_parameter_findings(texts)
    findings += software_findings(match_software(software_texts))

    heatmap: HeatMap | None = None
    thumbnail = metadata.get("exif_thumbnail")
    if isinstance(thumbnail, bytes):
        found, heatmap = thumbnail_findings(
            thumbnail, image.luma8(), int(metadata.get("orientation", 1))
        )
        findings += found
    has_other = bool(packet or iptc or png_text or manifest is not None)
    findings += capture_findings(exif, has_other, metadata.get("jpeg_quant_tables", []))
    return DetectorResult(
        detector=DETECTOR,
        version=f"{VERSION}+tables-{tables().version}+software-{tables().software_version}",
        findings=findings,
        heatmap=heatmap,
    )
