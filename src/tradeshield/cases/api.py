"""Routes for cases, the actions on them, their rulings and their timeline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.audit import service as audit
from tradeshield.audit.schemas import AuditEntryOut
from tradeshield.cases import service, workflow
from tradeshield.cases.kinds import CaseKind, CaseState
from tradeshield.cases.models import Case
from tradeshield.cases.schemas import (
    CaseActionIn,
    CaseIn,
    CaseOut,
    RulingOut,
)
from tradeshield.catalog.industries import Industry
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.schema_types import AwareDatetime

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
    kind: CaseKind | None = None,
    industry: Industry | None = None,
) -> Page[CaseOut]:
    found = service.list_cases(
        session, scope, page, state, merchant_id, buyer_id, order_id, deadline_before,
        kind=kind, industry=industry,
    )  # fmt: skip
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
        return case_out(workflow.take_action(session, scope, case_id, body))

    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/cases/{case_id}/actions", body),
        produce,
        status_code=200,
    )


@router.get("/cases/{case_id}/rulings", response_model=list[RulingOut])
def rulings(case_id: int, session: DbSession, scope: CallerScope) -> list[RulingOut]:
    return [RulingOut.model_validate(r) for r in service.rulings_of(session, scope, case_id)]


@router.get("/cases/{case_id}/timeline", response_model=list[AuditEntryOut])
def timeline(case_id: int, session: DbSession, scope: CallerScope) -> list[AuditEntryOut]:
    case = service.get_case(session, scope, case_id)
    entries = audit.history(session, scope, "case", case.id, limit=1000)
    return [AuditEntryOut.model_validate(e) for e in reversed(entries)]
