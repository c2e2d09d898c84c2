"""Reading an XMP packet into a flat property map, without trusting it.

XMP is RDF/XML; detectors only ask "what values does property P hold anywhere in the
packet", so the tree is flattened to ``{"{namespace}Name": [values]}``: attributes of any
element, text of leaf elements, and text of ``rdf:li`` items under their property. Packets
with a DOCTYPE or entity declarations are refused (entity expansion is the XML bomb), and a
packet that does not parse yields no properties rather than an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_PACKET_CHARS = 2_000_000

XmpProperties = dict[str, list[str]]

_XMPMETA = re.compile(r"<x:xmpmeta\b.*?</x:xmpmeta>", re.DOTALL)
_RDF_ONLY = re.compile(r"<rdf:RDF\b.*?</rdf:RDF>", re.DOTALL)


def parse_xmp(packet: str) -> XmpProperties:
    """Every property value in ``packet``, keyed by its expanded name."""
    if not packet or len(packet) > MAX_PACKET_CHARS or re.search(r"<!(DOCTYPE|ENTITY)", packet):
        return {}
    root = _parse(packet)
    if root is None:
        return {}
    properties: XmpProperties = {}
    _collect(root, None, properties)
    return properties


def first_value(properties: XmpProperties, name: str) -> str | None:
    values = properties.get(name)
    return values[0] if values else None


def _parse(packet: str) -> ET.Element | None:
    # Writers pad, prefix (xpacket) or truncate packets; try the whole, then the cores.
    candidates = [packet]
    candidates += [
        match.group(0) for match in (_XMPMETA.search(packet), _RDF_ONLY.search(packet)) if match
    ]
    for candidate in candidates:
        try:
            return ET.fromstring(candidate.strip().strip("\x00"))
        except ET.ParseError:
            continue
    return None


def _collect(element: ET.Element, property_name: str | None, out: XmpProperties) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    in_rdf = tag.startswith("{" + RDF + "}")
    name = property_name if in_rdf or not tag else tag
    for attribute, value in element.attrib.items():
        if not attribute.startswith(("{" + RDF + "}", "{" + XML_NS + "}")):
            out.setdefault(attribute, []).append(value)
    text = (element.text or "").strip()
    if text and name and len(element) == 0:
        out.setdefault(name, []).append(text)
    for child in element:
        _collect(child, name, out)
