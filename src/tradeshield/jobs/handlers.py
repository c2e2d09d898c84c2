"""The built-in job handlers: thin shells over service functions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tradeshield.cases import service as cases
from tradeshield.errors import DomainError
from tradeshield.jobs.registry import Progress, handler
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


@handler("cases.sweep_deadlines")
def sweep_deadlines(
    make_session: sessionmaker[Session], payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    limit = int(payload.get("limit", 500))
    with make_session.begin() as session:
        moved = cases.sweep_deadlines(session, limit=limit, tenant_id=payload.get("tenant_id"))
    progress(1.0)
    return {"moved": moved}


@handler("forensics.analyze_evidence")
def analyze_evidence(
    make_session: sessionmaker[Session], payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    """One transaction per photo, so a long batch shows progress and keeps what it finished;
    then each case under review whose photos got a report is ruled again by the packs, so a
    proven forgery rejects the claim and a suspicious photo escalates it (a retry that finds
    the same facts adds no ruling)."""
    from tradeshield.evidence.service import default_blob_store
    from tradeshield.forensics import service as forensics
    from tradeshield.rules import service as rules

    scope = Scope(
        tenant_id=int(payload["tenant_id"]),
        role=Role.OPERATOR,
        actor=str(payload.get("actor", "job")),
    )
    evidence_ids = [int(i) for i in payload["evidence_ids"]]
    store = default_blob_store()
    reports: dict[str, int] = {}
    refused: dict[str, str] = {}
    case_ids: dict[int, None] = {}  # in the order first seen
    for done, evidence_id in enumerate(evidence_ids, start=1):
        try:
            with make_session.begin() as session:
                record = forensics.analyze_evidence(session, scope, store, evidence_id)
                reports[str(evidence_id)] = record.id
                if record.case_id is not None:
                    case_ids[record.case_id] = None
        except DomainError as exc:
            refused[str(evidence_id)] = exc.detail
        progress(done / len(evidence_ids))
    rulings: dict[str, int] = {}
    with make_session.begin() as session:
        for case_id in case_ids:
            ruling_id = rules.rerule_under_review(session, scope, case_id)
            if ruling_id is not None:
                rulings[str(case_id)] = ruling_id
    return {"reports": reports, "refused": refused, "rulings": rulings}


@handler("integrity.recompute")
def integrity_recompute(
    make_session: sessionmaker[Session], payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    """Score every account of the tenant, find rings, bring actions in line."""
    from tradeshield.integrity import service as integrity

    scope = Scope(
        tenant_id=int(payload["tenant_id"]),
        role=Role.OPERATOR,
        actor=str(payload.get("actor", "job")),
    )
    # Progress is written between the read-only half and the writing one: SQLite allows
    # only one writer, so it must not be reported while our own transaction writes.
    with make_session() as session:
        assessment = integrity.assess_tenant(session, scope)
    progress(0.6)
    with make_session.begin() as session:
        summary = integrity.store_assessment(session, scope, assessment)
    progress(1.0)
    return {"accounts": summary.accounts, "rings": summary.rings, "tiers": summary.tiers}
