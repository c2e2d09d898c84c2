"""The case state machine, checked exhaustively and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeshield.cases.kinds import CaseKind, CaseState, DecidedBy, LiableParty, Outcome, ReasonCode
from tradeshield.cases.lifecycle import (
    RETURN_KINDS,
    Action,
    allowed_actions,
    step,
)
from tradeshield.errors import Conflict


def test_merchant_accepting_refund_only_resolves_with_full_refund_by_agreement() -> None:
    result = step(
        CaseKind.REFUND_ONLY,
        ReasonCode.QUALITY_ISSUE,
        CaseState.AWAITING_MERCHANT,
        Action.MERCHANT_ACCEPT,
    )
    assert result.state is CaseState.RESOLVED
    assert result.ruling is not None
    assert result.ruling.outcome is Outcome.FULL_REFUND
    assert result.ruling.decided_by is DecidedBy.AGREEMENT
    assert result.ruling.liable_party is LiableParty.MERCHANT


@pytest.mark.parametrize("kind", sorted(RETURN_KINDS))
def test_merchant_accepting_a_return_kind_waits_for_the_return(kind: CaseKind) -> None:
    result = step(kind, ReasonCode.WRONG_ITEM, CaseState.AWAITING_MERCHANT, Action.MERCHANT_ACCEPT)
    assert result.state is CaseState.AWAITING_RETURN
    assert result.ruling is None


def test_silent_merchant_deadline_grants_the_claim_and_says_so() -> None:
    result = step(
        CaseKind.REFUND_ONLY,
        ReasonCode.NOT_RECEIVED,
        CaseState.AWAITING_MERCHANT,
        Action.DEADLINE,
    )
    assert result.ruling is not None
    assert result.ruling.decided_by is DecidedBy.DEADLINE
    assert result.ruling.reason_code == "merchant_no_answer"
    assert result.ruling.liable_party is LiableParty.COURIER


def test_no_reason_returns_put_liability_on_nobody() -> None:
    result = step(
        CaseKind.RETURN_AND_REFUND,
        ReasonCode.NO_REASON_7_DAYS,
        CaseState.RETURN_IN_TRANSIT,
        Action.MERCHANT_CONFIRM_RETURN,
    )
    assert result.ruling is not None
    assert result.ruling.liable_party is LiableParty.NONE


def test_illegal_transition_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="not allowed"):
        step(
            CaseKind.REFUND_ONLY,
            ReasonCode.QUALITY_ISSUE,
            CaseState.AWAITING_MERCHANT,
            Action.BUYER_SHIP_RETURN,
        )


def test_closed_case_accepts_nothing() -> None:
    assert allowed_actions(CaseKind.REFUND_ONLY, ReasonCode.QUALITY_ISSUE, CaseState.CLOSED) == []


def test_resolved_case_can_be_appealed_or_ruled_again_or_expire() -> None:
    allowed = allowed_actions(CaseKind.EXCHANGE, ReasonCode.SIZE_OR_FIT, CaseState.RESOLVED)
    assert set(allowed) == {Action.APPEAL, Action.PLATFORM_RULE, Action.DEADLINE}


@given(
    kind=st.sampled_from(CaseKind),
    reason=st.sampled_from(ReasonCode),
    actions=st.lists(st.sampled_from(Action), max_size=30),
)
def test_any_action_sequence_stays_inside_the_machine(
    kind: CaseKind, reason: ReasonCode, actions: list[Action]
) -> None:
    state = CaseState.AWAITING_MERCHANT
    for action in actions:
        if action not in allowed_actions(kind, reason, state):
            with pytest.raises(Conflict):
                step(kind, reason, state, action)
            continue
        result = step(kind, reason, state, action)
        if result.ruling is not None:
            assert result.state is CaseState.RESOLVED
        state = result.state
    assert state in CaseState
