"""C2PA Content Credentials: what a signed manifest says about how the picture was made,
and whether the picture and the manifest are still what was signed.

Read with ``c2pa-python`` from the bytes already in memory; remote manifests are never
fetched (an evidence check must not reach out to a URL the uploader chose). A manifest
signed by an untrusted certificate is still read, since an AI label hurts its author, but the
trust state is kept in the details so that a capture claim can be weighed accordingly.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import c2pa  # type: ignore[import-untyped]

from tradeshield.forensics.findings import Finding
from tradeshield.forensics.provenance.labels import source_kind
from tradeshield.forensics.provenance.tables import make_finding, tables

# Pillow's names for containers whose bytes c2pa reads under another MIME type
_MIME_ALIASES = {"image/mpo": "image/jpeg", "image/x-tiff": "image/tiff"}
_NO_NETWORK = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}


@dataclass(slots=True)
class ManifestReading:
    """What the findings are built from; plain values so it can be tested without c2pa."""

    state: str = ""  # "Valid", "Trusted", "Invalid"
    failures: list[str] = field(default_factory=list)
    source_types: list[str] = field(default_factory=list)  # from any manifest's actions
    actions: list[str] = field(default_factory=list)  # of the active manifest
    software: list[str] = field(default_factory=list)  # claim generators, software agents
    signer: str = ""
    remote: bool = False
    unreadable: str = ""


def read_manifest(data: bytes, mime: str) -> ManifestReading | None:
    """The active manifest of ``data``, or ``None`` when the file carries none."""
    fmt = _MIME_ALIASES.get(mime, mime) or "image/jpeg"
    try:
        context = c2pa.Context(c2pa.Settings.from_dict(_NO_NETWORK))
        with c2pa.Reader(fmt, io.BytesIO(data), context=context) as reader:
            store = json.loads(reader.json())
    except (c2pa.C2paError.ManifestNotFound, c2pa.C2paError.NotSupported):
        return None
    except (c2pa.C2paError, ValueError, OSError) as error:
        # with fetching off, a remote manifest comes back as a plain error named "Remote"
        if isinstance(error, c2pa.C2paError.RemoteManifest) or str(error).startswith("Remote"):
            return ManifestReading(remote=True)
        return ManifestReading(unreadable=str(error)[:200])
    return _reading(store) if isinstance(store, dict) else None


def manifest_findings(reading: ManifestReading) -> list[Finding]:
    if reading.remote:
        return [make_finding("c2pa_remote_manifest")]
    if reading.unreadable:
        return [make_finding("c2pa_unreadable", details={"error": reading.unreadable})]
    details = {
        "validation_state": reading.state,
        "failures": reading.failures,
        "signer": reading.signer,
        "signer_trusted": "signingCredential.untrusted" not in reading.failures,
        "actions": reading.actions,
        "digital_source_types": reading.source_types,
        "generators": reading.software,
    }
    findings = _integrity_findings(reading, details)
    kinds = dict.fromkeys(source_kind(uri) for uri in reading.source_types)
    for kind in kinds:
        code = f"c2pa_{kind}"
        if kind and kind not in ("camera_capture", "screen_capture") and code in tables().weights:
            findings.append(make_finding(code, details=details, generator=_generator(reading)))
    content = [a for a in reading.actions if a in tables().content_actions]
    if content:
        findings.append(
            make_finding(
                "c2pa_content_edited", details=details, actions=", ".join(dict.fromkeys(content))
            )
        )
    if not findings:
        findings.append(_clean_record(kinds, details))
    return findings


def _integrity_findings(reading: ManifestReading, details: dict[str, Any]) -> list[Finding]:
    codes = dict.fromkeys(
        tables().c2pa_failures[f] for f in reading.failures if f in tables().c2pa_failures
    )
    return [make_finding(code, details=details) for code in codes]


def _clean_record(kinds: dict[str, None], details: dict[str, Any]) -> Finding:
    if "camera_capture" in kinds:
        return make_finding("c2pa_camera_capture", details=details)
    if "screen_capture" in kinds:
        return make_finding("c2pa_screen_capture", details=details)
    return make_finding("c2pa_adjusted", details=details)


def _generator(reading: ManifestReading) -> str:
    return (reading.software[0] if reading.software else "?")[:80]


def _reading(store: dict[str, Any]) -> ManifestReading:
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest") or "") or {}
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [s.get("code", "") for s in results.get("failure", [])]
    failures += [s.get("code", "") for s in store.get("validation_status") or []]
    reading = ManifestReading(
        state=str(store.get("validation_state") or ""),
        failures=list(dict.fromkeys(code for code in failures if code)),
        signer=str((active.get("signature_info") or {}).get("issuer") or ""),
    )
    for label, manifest in manifests.items():
        for action in _actions(manifest):
            if action.get("digitalSourceType"):
                reading.source_types.append(str(action["digitalSourceType"]))
            if label == store.get("active_manifest"):
                reading.actions.append(str(action.get("action", "")))
                reading.software.append(_agent_name(action.get("softwareAgent")))
    reading.software = [
        s for s in dict.fromkeys([_claim_generator(active), *reading.software]) if s
    ]
    return reading


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            data = assertion.get("data") or {}
            actions += [a for a in data.get("actions") or [] if isinstance(a, dict)]
    return actions


def _claim_generator(manifest: dict[str, Any]) -> str:
    infos = manifest.get("claim_generator_info") or []
    names = [str(info.get("name", "")) for info in infos if isinstance(info, dict)]
    return str(manifest.get("claim_generator") or " ".join(n for n in names if n))


def _agent_name(agent: Any) -> str:
    if isinstance(agent, dict):
        return str(agent.get("name") or "")
    return str(agent or "")
