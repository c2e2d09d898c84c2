"""Routes for buyer accounts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.buyers import service
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.buyers.schemas import BuyerIn, BuyerOut, IdentifierIn
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page

router = APIRouter(tags=["buyers"])


@router.post("/buyers", status_code=201, response_model=BuyerOut)
def create_buyer(
    body: BuyerIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/buyers", body),
        lambda: BuyerOut.model_validate(service.create_buyer(session, scope, body)),
    )


@router.post("/buyers/{buyer_id}/identifiers", status_code=201, response_model=BuyerOut)
def link_identifiers(
    buyer_id: int,
    body: list[IdentifierIn],
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/buyers/{buyer_id}/identifiers", [i.model_dump() for i in body]),
        lambda: BuyerOut.model_validate(service.link_identifiers(session, scope, buyer_id, body)),
    )


@router.get("/buyers", response_model=Page[BuyerOut])
def list_buyers(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    identifier_kind: IdentifierKind | None = None,
    identifier_value: str | None = None,
) -> Page[BuyerOut]:
    """Newest first. Give an identifier in clear to find the accounts linked to it."""
    found = service.list_buyers(session, scope, page, identifier_kind, identifier_value)
    return to_page(found, BuyerOut.model_validate)


@router.get("/buyers/{buyer_id}", response_model=BuyerOut)
def get_buyer(buyer_id: int, session: DbSession, scope: CallerScope) -> BuyerOut:
    return BuyerOut.model_validate(service.get_buyer(session, scope, buyer_id))
