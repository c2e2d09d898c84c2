"""Routes for cases, the actions on them, their rulings and their timeline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.audit.schemas import AuditEntryOut
from tradeshield.cases import service
from tradeshield.cases.kinds import CaseState
from tradeshield.cases.models import Case
from tradeshield.cases.schemas import (
    CaseActionIn,
    CaseIn,
    CaseOut,
    MerchantReportForgery,
    RulingOut,
)
from tradeshield.errors import Invalid
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.jobs import service as jobs
from tradeshield.pagination import PageRequest
from tradeshield.rules import service as rules
from tradeshield.schema_types import AwareDatetime
from tradeshield.tenancy.scope import Scope

router = APIRouter(tags=["cases"])


def case_out(case: Case) -> CaseOut:
    data = {c: getattr(case, c) for c in CaseOut.model_fields if c != "allowed_actions"}
    return CaseOut(**data, allowed_actions=service.allowed_actions(case))


@router.post("/cases", status_code=201, response_model=CaseOut)
def open_case(
    body: CaseIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/cases", body),
        lambda: case_out(service.open_case(session, scope, body)),
    )


@router.get("/cases", response_model=Page[CaseOut])
def list_cases(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    state: CaseState | None = None,
    merchant_id: int | None = None,
    buyer_id: int | None = None,
    order_id: int | None = None,
    deadline_before: AwareDatetime | None = None,
) -> Page[CaseOut]:
    found = service.list_cases(
        session, scope, page, state, merchant_id, buyer_id, order_id, deadline_before
    )
    return to_page(found, case_out)


@router.get("/cases/{case_id}", response_model=CaseOut)
def get_case(case_id: int, session: DbSession, scope: CallerScope) -> CaseOut:
    return case_out(service.get_case(session, scope, case_id))


@router.post("/cases/{case_id}/actions", response_model=CaseOut)
def act(
    case_id: int,
    body: CaseActionIn,
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    """One step of the case: accept, reject, offer, ship the return, rule, appeal, withdraw.

    Reporting suspected forged evidence also starts the forensic analysis of the photos named
    (or of every photo on the case) as a job; its reports are stored with the evidence.
    """

    def produce() -> CaseOut:
        case = service.act(session, scope, case_id, body)
        if isinstance(body, MerchantReportForgery):
            _schedule_forensics(session, scope, case.id, list(body.evidence_ids))
        # Escalations, forgery reports, disputed returns and appeals are ruled by the packs
        # at once; an `escalate` ruling leaves the case under review for a person.
        rules.rule_if_under_review(session, scope, case.id)
        return case_out(case)

    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/cases/{case_id}/actions", body),
        produce,
        status_code=200,
    )


def _schedule_forensics(
    session: Session, scope: Scope, case_id: int, evidence_ids: list[int]
) -> None:
    if not evidence_ids:
        photos = evidence.list_items(
            session, scope, PageRequest(limit=50), case_id, EvidenceKind.PHOTO
        )
        evidence_ids = [item.id for item in photos.items]
    for evidence_id in evidence_ids:
        item = evidence.get_item(session, scope, evidence_id)
        if item.case_id != case_id or item.kind is not EvidenceKind.PHOTO:
            raise Invalid(
                f"evidence {evidence_id} is not a photo of case {case_id}", field="evidence_ids"
            )
    if evidence_ids:
        payload = {"evidence_ids": evidence_ids, "actor": scope.actor, "case_id": case_id}
        jobs.schedule(session, scope.tenant_id, "forensics.analyze_evidence", payload)


@router.get("/cases/{case_id}/rulings", response_model=list[RulingOut])
def rulings(case_id: int, session: DbSession, scope: CallerScope) -> list[RulingOut]:
    return [RulingOut.model_validate(r) for r in service.rulings_of(session, scope, case_id)]


@router.get("/cases/{case_id}/timeline", response_model=list[AuditEntryOut])
def timeline(case_id: int, session: DbSession, scope: CallerScope) -> list[AuditEntryOut]:
    case = service.get_case(session, scope, case_id)
    entries = audit.history(session, scope, "case", case.id, limit=1000)
    return [AuditEntryOut.model_validate(e) for e in reversed(entries)]
