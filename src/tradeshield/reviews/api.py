"""Routes for reviews."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.reviews import service
from tradeshield.reviews.schemas import ReviewIn, ReviewOut

router = APIRouter(tags=["reviews"])


@router.post("/reviews", status_code=201, response_model=ReviewOut)
def create_review(
    body: ReviewIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/reviews", body),
        lambda: ReviewOut.model_validate(service.create_review(session, scope, body)),
    )


@router.get("/reviews", response_model=Page[ReviewOut])
def list_reviews(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    product_id: int | None = None,
    merchant_id: int | None = None,
    max_rating: int | None = Query(default=None, ge=1, le=5),
) -> Page[ReviewOut]:
    found = service.list_reviews(session, scope, page, product_id, merchant_id, max_rating)
    return to_page(found, ReviewOut.model_validate)


@router.get("/reviews/{review_id}", response_model=ReviewOut)
def get_review(review_id: int, session: DbSession, scope: CallerScope) -> ReviewOut:
    return ReviewOut.model_validate(service.get_review(session, scope, review_id))
