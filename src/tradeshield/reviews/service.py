"""Reviews left by buyers on products they ordered."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.db import utcnow
from tradeshield.errors import Invalid, NotFound
from tradeshield.orders import service as orders
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.reviews.models import Review
from tradeshield.reviews.schemas import ReviewIn
from tradeshield.tenancy.scope import Scope


def create_review(session: Session, scope: Scope, review_in: ReviewIn) -> Review:
    scope.require_operator()
    order = orders.get_order(session, scope, review_in.order_id)
    if review_in.product_id not in {line.product_id for line in order.lines}:
        raise Invalid(
            f"product {review_in.product_id} is not in order {order.id}", field="product_id"
        )
    review = Review(
        tenant_id=scope.tenant_id,
        merchant_id=order.merchant_id,
        buyer_id=order.buyer_id,
        **review_in.model_dump(exclude={"created_at"}),
        created_at=review_in.created_at or utcnow(),
    )
    session.add(review)
    session.flush()
    audit.record(session, scope, "review", review.id, "created", {"rating": review.rating})
    return review


def get_review(session: Session, scope: Scope, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} does not exist")
    scope.check_row(review.tenant_id, review.merchant_id)
    return review


def list_reviews(
    session: Session,
    scope: Scope,
    page: PageRequest,
    product_id: int | None = None,
    merchant_id: int | None = None,
    max_rating: int | None = None,
) -> PageOf[Review]:
    query = select(Review).where(Review.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(merchant_id)
    if shop is not None:
        query = query.where(Review.merchant_id == shop)
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    if max_rating is not None:
        query = query.where(Review.rating <= max_rating)
    return keyset_page(session, query, Review.id, page)
