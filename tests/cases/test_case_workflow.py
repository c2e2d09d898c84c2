"""The workflow every shell shares, the flat-field action builder and typed amounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from tests.factories import make_marketplace, open_case

from tradeshield.cases import service as cases
from tradeshield.cases import workflow
from tradeshield.cases.action_input import ActionFields, action_input
from tradeshield.cases.amounts import minor_units
from tradeshield.cases.kinds import CaseState, Party
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import AppealIn, MerchantAccept, MerchantReportForgery
from tradeshield.errors import Forbidden, Invalid
from tradeshield.jobs import service as jobs
from tradeshield.pagination import PageRequest
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


@given(st.integers(min_value=0, max_value=10**12))
def test_typed_yuan_read_back_to_the_same_fen(fen: int) -> None:
    assert minor_units(f"{fen // 100}.{fen % 100:02d}", "CNY") == fen


@pytest.mark.parametrize("text", ["", "12,5.0", "12,5", "-3", "1e3", "12.345", "¥12"])
def test_amounts_that_are_not_exact_money_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        minor_units(text, "CNY")


def test_yen_has_no_decimals() -> None:
    assert minor_units("1,000", "JPY") == 1000
    with pytest.raises(Invalid, match="0 decimal places"):
        minor_units("10.5", "JPY")


def test_one_text_box_is_the_reason_of_a_reject_and_the_note_of_an_accept() -> None:
    reject = action_input(Action.MERCHANT_REJECT, ActionFields(text="sealed"), "CNY")
    accept = action_input(Action.MERCHANT_ACCEPT, ActionFields(text="sorry"), "CNY")
    assert reject.model_dump()["reason"] == "sealed"
    assert accept.model_dump()["note"] == "sorry"
    with pytest.raises(Invalid, match="system"):
        action_input(Action.DEADLINE, ActionFields(), "CNY")


def test_a_merchant_key_appeals_for_the_merchant_only(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    operator = market.keys.scope
    cases.act(session, operator, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT))
    shop = Scope(operator.tenant_id, Role.MERCHANT, market.merchant.id, actor="shop")
    as_buyer = AppealIn(action=Action.APPEAL, party=Party.BUYER, reason="not me")
    with pytest.raises(Forbidden):
        workflow.take_action(session, shop, case.id, as_buyer)
    as_merchant = AppealIn(action=Action.APPEAL, party=Party.MERCHANT, reason="wrong amount")
    assert workflow.take_action(session, shop, case.id, as_merchant).appeal_count == 1


def test_forgery_report_goes_to_review_and_is_ruled_at_once(session: Session) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    scope = market.keys.scope
    report = MerchantReportForgery(action=Action.MERCHANT_REPORT_FORGERY)
    workflow.take_action(session, scope, case.id, report)
    assert case.forgery_suspected
    ruled = cases.latest_ruling(session, case.id)
    assert ruled is not None
    # No photo on the case: nothing to analyse, so no job; the packs still ruled it.
    assert not [j for j in jobs.list_jobs(session, scope, PageRequest()).items
                if j.name == "forensics.analyze_evidence"]  # fmt: skip
    assert case.state in (CaseState.UNDER_REVIEW, CaseState.RESOLVED)
