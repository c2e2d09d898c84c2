"""Cases through the service layer: actions, rulings, appeals, deadlines, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_marketplace, open_case

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import (
    CaseKind,
    CaseState,
    DecidedBy,
    LiableParty,
    Outcome,
    Party,
    ReasonCode,
)
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import (
    AppealIn,
    BuyerAcceptOffer,
    BuyerShipReturn,
    MerchantAccept,
    MerchantOfferPartial,
    MerchantReject,
    PlatformRule,
)
from tradeshield.errors import Conflict, Forbidden, Invalid
from tradeshield.shipments.schemas import ReturnShipmentIn
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


def test_open_case_sets_merchant_deadline_48_hours_later(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    assert case.state is CaseState.AWAITING_MERCHANT
    assert case.deadline_at == case.opened_at + dt.timedelta(hours=48)
    assert case.merchant_id == market.merchant.id


def test_claim_above_order_total_is_refused(session: Session) -> None:
    market = make_marketplace(session)
    with pytest.raises(Invalid, match="exceeds the order total"):
        open_case(session, market, amount=market.order.total_minor + 1)


def test_partial_offer_accepted_by_buyer_rules_the_offered_amount(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    offer = MerchantOfferPartial(action=Action.MERCHANT_OFFER_PARTIAL, amount_minor=2000)
    cases.act(session, scope, case.id, offer)
    cases.act(session, scope, case.id, BuyerAcceptOffer(action=Action.BUYER_ACCEPT_OFFER))
    (ruling,) = cases.rulings_of(session, scope, case.id)
    assert case.state is CaseState.RESOLVED
    assert ruling.outcome is Outcome.PARTIAL_REFUND
    assert ruling.amount_minor == 2000
    assert ruling.reasons[0]["code"] == "buyer_accepted_offer"
    assert ruling.reasons[0]["zh"]
    assert ruling.reasons[0]["en"]
    assert ruling.versions["deadline_policy"] == case.policy_version


def test_offer_at_or_above_claim_is_invalid(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market, amount=3000)
    offer = MerchantOfferPartial(action=Action.MERCHANT_OFFER_PARTIAL, amount_minor=3000)
    with pytest.raises(Invalid):
        cases.act(session, market.keys.scope, case.id, offer)


def test_return_flow_registers_return_parcel_and_confirm_refunds(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market, kind=CaseKind.RETURN_AND_REFUND, reason=ReasonCode.WRONG_ITEM)
    cases.act(session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT))
    parcel = ReturnShipmentIn(carrier="SF", tracking_number="SF100200300")
    cases.act(
        session, scope, case.id, BuyerShipReturn(action=Action.BUYER_SHIP_RETURN, shipment=parcel)
    )
    assert case.state is CaseState.RETURN_IN_TRANSIT
    from tradeshield.cases.schemas import MerchantConfirmReturn

    cases.act(session, scope, case.id, MerchantConfirmReturn(action=Action.MERCHANT_CONFIRM_RETURN))
    (ruling,) = cases.rulings_of(session, scope, case.id)
    assert ruling.outcome is Outcome.FULL_REFUND
    assert ruling.liable_party is LiableParty.MERCHANT


def test_merchant_key_cannot_act_for_the_buyer(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    merchant_scope = Scope(
        tenant_id=market.keys.scope.tenant_id, role=Role.MERCHANT, merchant_id=market.merchant.id
    )
    cases.act(
        session, merchant_scope, case.id, MerchantReject(action=Action.MERCHANT_REJECT, reason="no")
    )
    with pytest.raises(Forbidden):
        cases.act(
            session, merchant_scope, case.id, BuyerAcceptOffer(action=Action.BUYER_ACCEPT_OFFER)
        )


def test_appeal_reopens_review_and_new_ruling_supersedes_the_first(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    cases.act(session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT))
    appeal = AppealIn(action=Action.APPEAL, party=Party.MERCHANT, reason="photo is edited")
    cases.act(session, scope, case.id, appeal)
    assert case.state is CaseState.UNDER_REVIEW
    assert case.appeal_count == 1
    rule = PlatformRule(
        action=Action.PLATFORM_RULE,
        outcome=Outcome.REJECT,
        liable_party=LiableParty.BUYER,
        amount_minor=0,
        note="evidence photo was edited",
        clause_ids=["fresh_food.3.2"],
    )
    cases.act(session, scope, case.id, rule)
    first, second = cases.rulings_of(session, scope, case.id)
    assert second.supersedes_id == first.id
    assert second.decided_by is DecidedBy.PLATFORM
    assert second.clause_ids == ["fresh_food.3.2"]
    assert first.outcome is Outcome.FULL_REFUND


def test_appeals_are_limited_by_policy(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    cases.act(session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT))
    rule = PlatformRule(
        action=Action.PLATFORM_RULE,
        outcome=Outcome.FULL_REFUND,
        liable_party=LiableParty.MERCHANT,
        amount_minor=100,
        note="upheld",
    )
    appeal = AppealIn(action=Action.APPEAL, party=Party.BUYER, reason="more")
    for _ in range(2):
        cases.act(session, scope, case.id, appeal)
        cases.act(session, scope, case.id, rule)
    with pytest.raises(Conflict, match="appeals"):
        cases.act(session, scope, case.id, appeal)


def test_sweep_moves_only_cases_past_their_deadline(session: Session) -> None:
    market = make_marketplace(session)
    opened = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    late = open_case(session, market, opened_at=opened)
    fresh = open_case(session, market, amount=100, opened_at=opened + dt.timedelta(hours=40))
    moved = cases.sweep_deadlines(session, now=opened + dt.timedelta(hours=49))
    assert moved == 1
    assert late.state is CaseState.RESOLVED
    assert fresh.state is CaseState.AWAITING_MERCHANT
    (ruling,) = cases.rulings_of(session, market.keys.scope, late.id)
    assert ruling.decided_by is DecidedBy.DEADLINE
    assert "48" in ruling.reasons[0]["en"]
    assert "48" in ruling.reasons[0]["zh"]
    # the appeal window starts when the merchant's deadline passed, not when the sweep ran
    assert late.deadline_at == opened + dt.timedelta(hours=48 + 360)


def test_sweep_closes_case_when_buyer_never_ships_the_return(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    opened = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    case = open_case(session, market, kind=CaseKind.EXCHANGE, opened_at=opened)
    cases.act(session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT), now=opened)
    cases.sweep_deadlines(session, now=opened + dt.timedelta(days=8))
    assert case.state is CaseState.CLOSED
    assert case.closed_at is not None
    entries = audit.history(session, scope, "case", case.id)
    assert entries[0].action == "deadline"
    assert entries[0].details["reason"]["code"] == "buyer_did_not_ship"


def test_every_step_is_in_the_audit_log(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    cases.act(session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT))
    actions = [e.action for e in reversed(audit.history(session, scope, "case", case.id))]
    assert actions == ["opened", "merchant_accept"]
