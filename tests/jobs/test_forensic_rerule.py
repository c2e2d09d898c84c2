"""A forgery report's forensic job rules the case again when it finishes: proof rejects the
claim, a suspicious photo escalates it, and a retried job adds no second ruling."""

from __future__ import annotations

import html
import io
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import Engine, select
from tests.factories import Api

from tradeshield.db import session_factory
from tradeshield.jobs.handlers import analyze_evidence
from tradeshield.jobs.kinds import JobState
from tradeshield.jobs.models import Job
from tradeshield.jobs.runners import InProcessRunner, get_runner

PROOF = '{"Label":"1","ContentProducer":"001191101080000000000000000","ProduceID":"p-7"}'
POSSIBLY_AI = '{"Label":"2"}'


def _labelled_photo(aigc_label: str) -> bytes:
    """A JPEG carrying a GB 45438 AIGC label in its XMP: "1" is generated (proof), "2"
    possibly generated (a strong finding, never proof)."""
    body = f"<TC260:AIGC>{html.escape(aigc_label)}</TC260:AIGC>"
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    pixels = np.random.default_rng(3).integers(60, 200, (192, 256, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90, xmp=packet.encode())
    return out.getvalue()


def _report_forgery_on_photo(api: Api, photo: bytes) -> int:
    body = {"order_id": api.market.order.id, "kind": "refund_only", "reason_code": "quality_issue",
            "claimed_amount_minor": 1000, "currency": "CNY"}  # fmt: skip
    case = api.client.post("/v1/cases", json=body, headers=api.headers).json()
    upload = api.client.post(
        "/v1/evidence/files",
        data={"case_id": str(case["id"]), "kind": "photo", "submitted_by": "buyer"},
        files={"file": ("claim.jpg", photo, "image/jpeg")},
        headers=api.headers,
    ).json()
    report = {"action": "merchant_report_forgery", "evidence_ids": [upload["id"]]}
    acted = api.client.post(f"/v1/cases/{case['id']}/actions", json=report, headers=api.headers)
    assert acted.json()["state"] == "under_review"
    return int(case["id"])


def _rulings(api: Api, case_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.client.get(
        f"/v1/cases/{case_id}/rulings", headers=api.headers
    ).json()
    return found


def _finished_job(engine: Engine) -> Job:
    runner = get_runner()
    assert isinstance(runner, InProcessRunner)
    runner.drain()
    with session_factory(engine)() as fresh:
        job = fresh.scalars(select(Job).where(Job.name == "forensics.analyze_evidence")).one()
        fresh.expunge(job)
    assert job.state is JobState.SUCCEEDED, job.error
    return job


def _retry(engine: Engine, job: Job) -> dict[str, Any]:
    return analyze_evidence(session_factory(engine), dict(job.payload), lambda _share: None)


def test_proven_forgery_rejects_the_claim_once(api: Api, engine: Engine) -> None:
    case_id = _report_forgery_on_photo(api, _labelled_photo(PROOF))
    (waiting,) = _rulings(api, case_id)
    assert waiting["clause_ids"] == ["forged_evidence.4"]  # no report yet: escalate and wait
    job = _finished_job(engine)
    waiting_ruling, ruled = _rulings(api, case_id)
    assert job.result["rulings"] == {str(case_id): ruled["id"]}
    assert (ruled["outcome"], ruled["liable_party"]) == ("reject", "buyer")
    assert ruled["clause_ids"] == ["forged_evidence.1"]
    assert ruled["supersedes_id"] == waiting_ruling["id"]
    assert ruled["inputs"]["facts"]["forgery"] == "confirmed"
    case = api.client.get(f"/v1/cases/{case_id}", headers=api.headers).json()
    assert case["state"] == "resolved"
    again = _retry(engine, job)  # the case is resolved now: nothing more to rule
    assert again["rulings"] == {}
    assert len(_rulings(api, case_id)) == 2


def test_suspicious_photo_escalates_and_a_retry_adds_no_ruling(api: Api, engine: Engine) -> None:
    case_id = _report_forgery_on_photo(api, _labelled_photo(POSSIBLY_AI))
    job = _finished_job(engine)
    _, ruled = _rulings(api, case_id)
    assert (ruled["outcome"], ruled["clause_ids"]) == ("escalate", ["forged_evidence.2"])
    assert ruled["inputs"]["facts"]["forgery"] == "suspicious"
    assert 0.0 < ruled["inputs"]["facts"]["forgery_score"] <= 1.0
    case = api.client.get(f"/v1/cases/{case_id}", headers=api.headers).json()
    assert case["state"] == "under_review"  # a person decides
    again = _retry(engine, job)  # a second report with the same findings: same facts
    assert again["rulings"] == {str(case_id): ruled["id"]}
    assert len(_rulings(api, case_id)) == 2
