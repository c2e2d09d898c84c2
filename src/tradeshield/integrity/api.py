"""Routes of the integrity module: accounts, rings, the review queue, recompute, appeals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.integrity import service
from tradeshield.integrity.kinds import AppealState
from tradeshield.integrity.schemas import (
    AccountOut,
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    QueueOut,
    RingBriefOut,
    RingOut,
    ScoreBriefOut,
)
from tradeshield.integrity.views import account_view
from tradeshield.jobs.schemas import JobOut

router = APIRouter(prefix="/integrity", tags=["integrity"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


@router.get("/accounts/{buyer_id}", response_model=AccountOut)
def get_account(buyer_id: int, session: DbSession, scope: CallerScope) -> AccountOut:
    """An account's integrity level, tier, reasons, history, actions, appeals and links."""
    return account_view(session, scope, buyer_id)


@router.get("/rings", response_model=list[RingBriefOut])
def list_rings(
    session: DbSession, scope: CallerScope, limit: Limit = 50, offset: Offset = 0
) -> list[RingBriefOut]:
    return [
        RingBriefOut.model_validate(r) for r in service.list_rings(session, scope, limit, offset)
    ]


@router.get("/rings/{ring_id}", response_model=RingOut)
def get_ring(ring_id: int, session: DbSession, scope: CallerScope) -> RingOut:
    return RingOut.model_validate(service.get_ring(session, scope, ring_id))


@router.get("/review-queue", response_model=QueueOut)
def review_queue(
    session: DbSession, scope: CallerScope, limit: Limit = 50, offset: Offset = 0
) -> QueueOut:
    """Accounts in manual review or worse, lowest integrity level first."""
    items, total = service.review_queue(session, scope, limit, offset)
    return QueueOut(total=total, items=[ScoreBriefOut.model_validate(s) for s in items])


@router.post("/recompute", status_code=202, response_model=JobOut)
def recompute(session: DbSession, scope: CallerScope, key: IdempotencyKey) -> JSONResponse:
    """Rescore the whole market in the background; follow the job for progress."""
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/integrity/recompute", {}),
        lambda: JobOut.model_validate(service.schedule_recompute(session, scope)),
        status_code=202,
    )


@router.post("/accounts/{buyer_id}/rescore", status_code=201, response_model=ScoreBriefOut)
def rescore(
    buyer_id: int, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """Rescore one account now (after an event), keeping its ring from the last recompute."""
    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/integrity/accounts/{buyer_id}/rescore", {}),
        lambda: ScoreBriefOut.model_validate(service.rescore_buyer(session, scope, buyer_id)),
    )


@router.get("/appeals", response_model=list[AppealOut])
def list_appeals(
    session: DbSession, scope: CallerScope, state: AppealState | None = None
) -> list[AppealOut]:
    return [AppealOut.model_validate(a) for a in service.list_appeals(session, scope, state)]


@router.post("/appeals", status_code=201, response_model=AppealOut)
def open_appeal(
    body: AppealIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/integrity/appeals", body),
        lambda: AppealOut.model_validate(
            service.open_appeal(session, scope, body.action_id, body.statement)
        ),
    )


@router.post("/appeals/{appeal_id}/decision", status_code=200, response_model=AppealOut)
def decide_appeal(
    appeal_id: int,
    body: AppealDecisionIn,
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    """Uphold (lifts the action, a good signal for later scores) or reject an appeal."""

    def produce() -> AppealOut:
        appeal = service.settle_appeal(session, scope, appeal_id, body.upheld, body.note)
        return AppealOut.model_validate(appeal)

    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/integrity/appeals/{appeal_id}/decision", body),
        produce,
        status_code=200,
    )
