"""The facts a case is ruled on include its order's latest return check and the buyer's
integrity tier, read through the returns and integrity services."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.factories import Api, make_marketplace, open_case
from tests.returns.builders import post_unit, return_parcel, unit
from tests.returns.integrity_tier import give_tier
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState, LiableParty, Outcome
from tradeshield.integrity.kinds import Tier
from tradeshield.rules import service as rules
from tradeshield.rules.kinds import BuyerTier, ReturnCheck
from tradeshield.rules.return_facts import return_check


def _returned_unit_checked(api: Api, session: Session, returned_serial: str) -> int:
    """Ship a unit, have a different or the same one come back, verify; returns the case."""
    order_id = api.market.order.id
    shipped = unit(order_id, "shipped", serial="SN-AB12CD34EF", weight="1.2 kg")
    post_unit(api.client, api.headers, shipped)
    parcel = return_parcel(session, api.market, pickup_grams=760)
    returned = unit(
        order_id, "returned", serial=returned_serial, weight="760 g", shipment_id=parcel.id
    )
    post_unit(api.client, api.headers, returned)
    body = {"order_id": order_id, "return_shipment_id": parcel.id}
    found = api.client.post("/v1/returns/verifications", json=body, headers=api.headers).json()
    assert (found["result"], found["liable_party"]) == ("mismatch", "buyer")
    assert parcel.case_id is not None
    return parcel.case_id


def test_buyer_liable_mismatch_is_ruled_by_the_return_mismatch_pack(
    api: Api, session: Session
) -> None:
    case_id = _returned_unit_checked(api, session, returned_serial="SN-ZZ99YY88XX")
    scope = api.market.keys.scope
    assert rules.gather_facts(session, scope, case_id).return_verification is ReturnCheck.MISMATCH
    value, ruling_id = rules.rule_case(session, scope, case_id)
    assert (value.outcome, value.liable_party) == (Outcome.REJECT, LiableParty.BUYER)
    assert value.decided_by_pack == "return_mismatch@2026.1"
    (ruling,) = cases.rulings_of(session, scope, case_id)
    assert ruling.id == ruling_id
    assert ruling.clause_ids == ["return_mismatch.1"]
    assert ruling.inputs["facts"]["return_verification"] == "mismatch"
    assert cases.get_case(session, scope, case_id).state is CaseState.RESOLVED


def test_case_without_a_return_check_or_a_score_has_neither_fact(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    facts = rules.gather_facts(session, market.keys.scope, case.id)
    assert (facts.return_verification, facts.buyer_integrity_tier) == (None, None)


def test_buyer_integrity_tier_reaches_the_facts_and_the_stored_ruling(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    give_tier(session, scope.tenant_id, market.order.buyer_id, Tier.MANUAL_REVIEW, level=52.0)
    assert rules.gather_facts(session, scope, case.id).buyer_integrity_tier is (
        BuyerTier.MANUAL_REVIEW
    )
    rules.rule_case(session, scope, case.id)
    (ruling,) = cases.rulings_of(session, scope, case.id)
    assert ruling.inputs["facts"]["buyer_integrity_tier"] == "manual_review"


@pytest.mark.parametrize(
    ("result", "liable", "expected"),
    [
        ("match", "none", ReturnCheck.MATCH),
        ("mismatch", "buyer", ReturnCheck.MISMATCH),
        ("partial", "buyer", ReturnCheck.PARTIAL),
        ("damaged", "buyer", ReturnCheck.DAMAGED),
        ("damaged", "courier", ReturnCheck.COURIER_DAMAGE),
        ("mismatch", "courier", ReturnCheck.COURIER_DAMAGE),
        ("mismatch", "merchant", ReturnCheck.INCONCLUSIVE),
        ("damaged", "undetermined", ReturnCheck.INCONCLUSIVE),
    ],
)
def test_only_a_failure_put_on_the_buyer_reaches_the_packs_as_that_failure(
    result: str, liable: str, expected: ReturnCheck
) -> None:
    assert return_check(result, liable) is expected
