"""Which editors, AI apps and converters a photo's metadata names, looked up in
``software.toml``. The fields read are those where software writes its own name; a camera's
firmware string matches nothing, and an unknown name yields no finding."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tradeshield.forensics.findings import Finding
from tradeshield.forensics.provenance.tables import make_finding, tables
from tradeshield.forensics.provenance.xmp import XmpProperties

_XMP_SOFTWARE_FIELDS = (
    "{http://ns.adobe.com/xap/1.0/}CreatorTool",
    "{http://ns.adobe.com/xap/1.0/sType/ResourceEvent#}softwareAgent",
    "{http://ns.adobe.com/tiff/1.0/}Software",
    "{http://ns.adobe.com/exif/1.0/aux/}Software",
)
_EXIF_SOFTWARE_FIELDS = ("Software", "ProcessingSoftware", "HostComputer")
_PNG_SOFTWARE_FIELDS = ("software", "source", "generator", "creator", "tool")
# strongest first: the first kind found is the headline finding
_KIND_ORDER = ("ai_generator", "ai_editor", "editor", "converter")


@dataclass(frozen=True, slots=True)
class SoftwareMatch:
    field: str  # where the name was read, e.g. "exif:Software"
    value: str  # the text as written there
    name: str  # the table's display name
    kind: str


def software_fields(
    exif: Mapping[str, str],
    xmp: XmpProperties,
    iptc: Mapping[str, str],
    png_text: Mapping[str, str],
) -> list[tuple[str, str]]:
    """``(field, text)`` pairs naming software, in the photo's own words."""
    fields = [(f"exif:{name}", exif[name]) for name in _EXIF_SOFTWARE_FIELDS if exif.get(name)]
    for name in _XMP_SOFTWARE_FIELDS:
        short = "xmp:" + name.rsplit("}", 1)[-1]
        fields += [(short, value) for value in dict.fromkeys(xmp.get(name, []))]
    if iptc.get("OriginatingProgram"):
        fields.append(("iptc:OriginatingProgram", iptc["OriginatingProgram"]))
    fields += [
        (f"png:{key}", value)
        for key, value in png_text.items()
        if key.lower() in _PNG_SOFTWARE_FIELDS
    ]
    return fields


def match_software(fields: Iterable[tuple[str, str]]) -> list[SoftwareMatch]:
    matches = []
    for field, value in fields:
        text = value[:1000]
        for entry in tables().software:
            found = next((m for p in entry.patterns if (m := p.search(text))), None)
            if found:
                name = found.group(0).strip() if entry.group else entry.name
                matches.append(SoftwareMatch(field, text[:200], name, entry.kind))
                break
    return matches


def software_findings(matches: list[SoftwareMatch]) -> list[Finding]:
    """One finding per kind of software named, the strongest kind first."""
    findings = []
    for kind in _KIND_ORDER:
        of_kind = [m for m in matches if m.kind == kind]
        if not of_kind:
            continue
        names = list(dict.fromkeys(m.name for m in of_kind))
        details = {
            "matches": [{"field": m.field, "value": m.value, "name": m.name} for m in of_kind]
        }
        findings.append(
            make_finding(f"software_{kind}", details=details, software=", ".join(names))
        )
    return findings
