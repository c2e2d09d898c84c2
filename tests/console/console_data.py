"""A tenant with something to show on every console page, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import (
    PLACED_AT,
    Marketplace,
    make_marketplace,
    make_merchant,
    make_order,
    make_product,
    open_case,
)
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseKind, Party, ReasonCode
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import BuyerShipReturn, MerchantAccept
from tradeshield.catalog import service as catalog
from tradeshield.catalog.schemas import PriceChangeIn
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.evidence.schemas import TextEvidenceIn
from tradeshield.jobs import service as jobs
from tradeshield.jobs.runners import InProcessRunner, get_runner
from tradeshield.reviews import service as reviews
from tradeshield.reviews.schemas import ReviewIn
from tradeshield.shipments import service as shipments
from tradeshield.shipments.schemas import ReturnShipmentIn, ShipmentIn
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role

REVIEW_TEXT = "橙子烂了一半，商家不理人"
EVIDENCE_TEXT = "Box arrived crushed; photos attached"
LATE_TRACKING = "SF-LATE-0001"
RETURN_TRACKING = "YT-RETURN-0001"


@dataclass(frozen=True)
class ConsoleData:
    market: Marketplace
    merchant_key: str  # a key for market.merchant's shop only
    waiting_case_id: int  # awaiting the merchant, long past its deadline
    returning_case_id: int  # its return parcel is on the way back
    resolved_case_id: int  # the merchant accepted; a ruling with reasons exists
    other_shop_case_id: int  # same tenant, another shop

    @property
    def operator_key(self) -> str:
        return self.market.keys.operator_key


def _other_shop_case(session: Session, market: Marketplace) -> int:
    scope = market.keys.scope
    merchant = make_merchant(session, scope)
    order = make_order(session, scope, merchant, make_product(session, scope, merchant))
    other = Marketplace(market.keys, merchant, market.product, order)
    return open_case(session, other).id


def _parcels_reviews_prices(session: Session, market: Marketplace) -> None:
    scope = market.keys.scope
    late = ShipmentIn(
        order_id=market.order.id,
        carrier="SF Express",
        tracking_number=LATE_TRACKING,
        shipped_at=PLACED_AT,
        promised_delivery_at=PLACED_AT + dt.timedelta(days=2),
    )
    shipments.create_shipment(session, scope, late)
    review = ReviewIn(
        order_id=market.order.id,
        product_id=market.product.id,
        rating=1,
        language="zh",
        text=REVIEW_TEXT,
    )
    reviews.create_review(session, scope, review)
    # A price typed one digit short: the kind of change merchant risk alerts are about.
    catalog.change_price(
        session, scope, market.product.id, PriceChangeIn(price_minor=599, currency="CNY")
    )


def build_console_data(session: Session) -> ConsoleData:
    """Everything the console pages list, made through the services; not committed."""
    market = make_marketplace(session)
    scope = market.keys.scope
    waiting = open_case(session, market)
    returning = open_case(
        session, market, kind=CaseKind.RETURN_AND_REFUND, reason=ReasonCode.WRONG_ITEM
    )
    accept = MerchantAccept(action=Action.MERCHANT_ACCEPT)
    cases.act(session, scope, returning.id, accept)
    ship = BuyerShipReturn(
        action=Action.BUYER_SHIP_RETURN,
        shipment=ReturnShipmentIn(
            carrier="YTO", tracking_number=RETURN_TRACKING, declared_weight_grams=2600
        ),
    )
    cases.act(session, scope, returning.id, ship)
    resolved = open_case(session, market, reason=ReasonCode.QUALITY_ISSUE, amount=1990)
    cases.act(session, scope, resolved.id, accept)
    evidence.add_text(
        session,
        scope,
        TextEvidenceIn(
            case_id=waiting.id,
            kind=EvidenceKind.TEXT,
            submitted_by=Party.BUYER,
            text=EVIDENCE_TEXT,
        ),
    )
    _parcels_reviews_prices(session, market)
    other_case = _other_shop_case(session, market)
    _, merchant_key = tenancy.issue_api_key(
        session, scope.tenant_id, Role.MERCHANT, merchant_id=market.merchant.id
    )
    # limit 0: a real job that finishes without moving any case, so the data stays put.
    jobs.schedule(session, scope.tenant_id, "cases.sweep_deadlines", {"limit": 0})
    return ConsoleData(market, merchant_key, waiting.id, returning.id, resolved.id, other_case)


def commit_and_settle(session: Session) -> None:
    """Commit, then wait for the jobs the commit dispatched."""
    session.commit()
    runner = get_runner()
    assert isinstance(runner, InProcessRunner)
    runner.drain()


def sign_in(client: TestClient, key: str) -> None:
    answer = client.post("/console/login", data={"api_key": key}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
