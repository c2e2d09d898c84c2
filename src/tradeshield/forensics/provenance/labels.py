"""Labels that say outright that a picture was made by AI: the GB 45438-2025 implicit
AIGC label, the IPTC digital source type in XMP, and the settings that image generators
(Stable Diffusion web UIs, ComfyUI, NovelAI, InvokeAI, ...) write into text chunks.

A label can be stripped by any re-save, so its absence means nothing; its presence is
close to proof, since nobody adds an AI label to a genuine photo.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from tradeshield.forensics.findings import Finding
from tradeshield.forensics.provenance.tables import make_finding, tables
from tradeshield.forensics.provenance.xmp import XmpProperties

AIGC_NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/"
IPTC_EXT_NAMESPACE = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
DIGITAL_SOURCE_TYPE = "{" + IPTC_EXT_NAMESPACE + "}DigitalSourceType"
# GB 45438-2025 annex E: Label 1 = is AI generated/synthesised, 2 = possibly, 3 = suspected.
_AIGC_CERTAIN = "1"
_LABEL_JSON = re.compile(r"\{[^{}]*\"Label\"[^{}]*\}")
_MAX_TEXT = 200_000


def aigc_label_findings(
    xmp_packet: str, xmp: XmpProperties, png_text: Mapping[str, str]
) -> list[Finding]:
    """The TC260 ``AIGC`` property (JSON with Label, ContentProducer, ProduceID, ...)."""
    payloads = [
        v for name, values in xmp.items() if name.startswith("{" + AIGC_NAMESPACE) for v in values
    ]
    payloads += [value for key, value in png_text.items() if key.upper() == "AIGC"]
    if not payloads and AIGC_NAMESPACE in xmp_packet:
        # the packet did not parse; the label JSON is still recognisable in the raw text
        payloads = _LABEL_JSON.findall(html.unescape(xmp_packet[:_MAX_TEXT]))
    for payload in payloads:
        label = _aigc_fields(payload)
        value = str(label.get("Label", "")).strip()
        if not value or value == "0":
            continue
        code = "aigc_label" if value == _AIGC_CERTAIN else "aigc_label_possible"
        producer = str(label.get("ContentProducer") or "?")[:80]
        return [make_finding(code, details={"label": label}, producer=producer)]
    return []


def source_type_findings(xmp: XmpProperties) -> list[Finding]:
    """IPTC ``Iptc4xmpExt:DigitalSourceType`` (trainedAlgorithmicMedia, ...) read from XMP."""
    kinds = {source_kind(uri): uri for uri in xmp.get(DIGITAL_SOURCE_TYPE, [])}
    findings = []
    for kind, uri in kinds.items():
        code = f"iptc_{kind}" if kind else ""
        if code in tables().weights:
            findings.append(make_finding(code, details={"digital_source_type": uri}))
    return findings


def source_kind(uri: str) -> str:
    """``trainedAlgorithmicMedia`` (last segment of the IPTC URI) -> ``ai_generated``."""
    term = uri.strip().rstrip("/").rsplit("/", 1)[-1]
    return tables().source_types.get(term, "")


def generator_parameter_findings(texts: Mapping[str, str]) -> list[Finding]:
    """Generator settings in PNG text chunks or EXIF comments, keyed by where they sit."""
    signals = tables()
    for key, value in texts.items():
        lowered, text = key.lower(), value[:_MAX_TEXT]
        if not text.strip():
            continue
        known_key = lowered in signals.generator_keys
        if known_key or (lowered in signals.checked_keys and _looks_generated(text)):
            excerpt = text[:300]
            return [
                make_finding(
                    "generator_parameters", details={"key": key, "excerpt": excerpt}, key=key
                )
            ]
    return []


def _looks_generated(text: str) -> bool:
    signals = tables()
    if any(marker in text for marker in signals.strong_markers):
        return True
    return sum(marker in text for marker in signals.markers) >= 2


def _aigc_fields(payload: str) -> dict[str, Any]:
    text = html.unescape(payload.strip())
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        match = _LABEL_JSON.search(text)
        if not match:
            return {}
        try:
            parsed = json.loads(match.group(0))
        except json.JSONDecodeError:
            return {}
    return {str(k): v for k, v in parsed.items()} if isinstance(parsed, dict) else {}
