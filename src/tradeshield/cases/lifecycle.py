"""The case state machine: which action may happen in which state, and what it leads to.

Pure: no database, no clock. ``step`` answers the next state and, when the step itself ends
the dispute (an agreement or a missed deadline), the ruling that follows from it. Rulings made
by a person or by rule packs are not decided here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tradeshield.cases.kinds import (
    CaseKind,
    CaseState,
    DecidedBy,
    LiableParty,
    Outcome,
    Party,
    ReasonCode,
)
from tradeshield.errors import Conflict

S = CaseState


class Action(enum.StrEnum):
    MERCHANT_ACCEPT = "merchant_accept"
    MERCHANT_REJECT = "merchant_reject"
    MERCHANT_OFFER_PARTIAL = "merchant_offer_partial"
    MERCHANT_REPORT_FORGERY = "merchant_report_forgery"
    BUYER_ACCEPT_OFFER = "buyer_accept_offer"
    BUYER_ESCALATE = "buyer_escalate"
    BUYER_SHIP_RETURN = "buyer_ship_return"
    MERCHANT_CONFIRM_RETURN = "merchant_confirm_return"
    MERCHANT_DISPUTE_RETURN = "merchant_dispute_return"
    PLATFORM_RULE = "platform_rule"
    APPEAL = "appeal"
    WITHDRAW = "withdraw"
    DEADLINE = "deadline"


ACTORS: dict[Action, frozenset[Party]] = {
    Action.MERCHANT_ACCEPT: frozenset({Party.MERCHANT}),
    Action.MERCHANT_REJECT: frozenset({Party.MERCHANT}),
    Action.MERCHANT_OFFER_PARTIAL: frozenset({Party.MERCHANT}),
    Action.MERCHANT_REPORT_FORGERY: frozenset({Party.MERCHANT}),
    Action.BUYER_ACCEPT_OFFER: frozenset({Party.BUYER}),
    Action.BUYER_ESCALATE: frozenset({Party.BUYER}),
    Action.BUYER_SHIP_RETURN: frozenset({Party.BUYER}),
    Action.MERCHANT_CONFIRM_RETURN: frozenset({Party.MERCHANT}),
    Action.MERCHANT_DISPUTE_RETURN: frozenset({Party.MERCHANT}),
    Action.PLATFORM_RULE: frozenset({Party.PLATFORM}),
    Action.APPEAL: frozenset({Party.BUYER, Party.MERCHANT}),
    Action.WITHDRAW: frozenset({Party.BUYER}),
    Action.DEADLINE: frozenset({Party.SYSTEM}),
}

OPEN_STATES = frozenset(
    {S.AWAITING_MERCHANT, S.AWAITING_BUYER, S.AWAITING_RETURN, S.RETURN_IN_TRANSIT, S.UNDER_REVIEW}
)
TERMINAL_STATES = frozenset({S.CLOSED})
RETURN_KINDS = frozenset({CaseKind.RETURN_AND_REFUND, CaseKind.EXCHANGE, CaseKind.REPAIR})

# A plain transition: (state, action) -> next state, for every kind of case.
_MOVES: dict[tuple[CaseState, Action], CaseState] = {
    (S.AWAITING_MERCHANT, Action.MERCHANT_REJECT): S.AWAITING_BUYER,
    (S.AWAITING_MERCHANT, Action.MERCHANT_OFFER_PARTIAL): S.AWAITING_BUYER,
    (S.AWAITING_MERCHANT, Action.MERCHANT_REPORT_FORGERY): S.UNDER_REVIEW,
    (S.AWAITING_MERCHANT, Action.WITHDRAW): S.CLOSED,
    (S.AWAITING_BUYER, Action.BUYER_ESCALATE): S.UNDER_REVIEW,
    (S.AWAITING_BUYER, Action.WITHDRAW): S.CLOSED,
    (S.AWAITING_BUYER, Action.DEADLINE): S.CLOSED,
    (S.AWAITING_RETURN, Action.BUYER_SHIP_RETURN): S.RETURN_IN_TRANSIT,
    (S.AWAITING_RETURN, Action.WITHDRAW): S.CLOSED,
    (S.AWAITING_RETURN, Action.DEADLINE): S.CLOSED,
    (S.RETURN_IN_TRANSIT, Action.MERCHANT_DISPUTE_RETURN): S.UNDER_REVIEW,
    (S.RETURN_IN_TRANSIT, Action.MERCHANT_REPORT_FORGERY): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, Action.WITHDRAW): S.CLOSED,
    (S.RESOLVED, Action.APPEAL): S.UNDER_REVIEW,
    (S.RESOLVED, Action.DEADLINE): S.CLOSED,
}


@dataclass(frozen=True, slots=True)
class AutoRuling:
    """A ruling that follows from the step itself; the amount comes from the case."""

    outcome: Outcome
    liable_party: LiableParty
    decided_by: DecidedBy
    reason_code: str
    uses_offer_amount: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    state: CaseState
    ruling: AutoRuling | None = None


def liable_for(reason: ReasonCode) -> LiableParty:
    """Who bears the cost when a claim is granted without dispute."""
    if reason in (ReasonCode.NO_REASON_7_DAYS, ReasonCode.SIZE_OR_FIT):
        return LiableParty.NONE
    if reason in (ReasonCode.NOT_RECEIVED, ReasonCode.DAMAGED_IN_TRANSIT):
        return LiableParty.COURIER
    return LiableParty.MERCHANT


def _granted(kind: CaseKind) -> Outcome:
    return {
        CaseKind.REFUND_ONLY: Outcome.FULL_REFUND,
        CaseKind.RETURN_AND_REFUND: Outcome.FULL_REFUND,
        CaseKind.EXCHANGE: Outcome.EXCHANGE,
        CaseKind.REPAIR: Outcome.REPAIR,
        CaseKind.INSTALLATION: Outcome.REPAIR,
    }[kind]


def _merchant_agrees(
    kind: CaseKind, reason: ReasonCode, decided_by: DecidedBy, reason_code: str
) -> Step:
    if kind in RETURN_KINDS:
        return Step(S.AWAITING_RETURN)
    return Step(S.RESOLVED, AutoRuling(_granted(kind), liable_for(reason), decided_by, reason_code))


def step(kind: CaseKind, reason: ReasonCode, state: CaseState, action: Action) -> Step:
    """The next state after ``action``; raises Conflict when the action is not allowed now."""
    if state in TERMINAL_STATES:
        raise Conflict(f"case is {state.value}; no further action is possible")
    if action is Action.PLATFORM_RULE:
        return Step(S.RESOLVED)
    if state is S.AWAITING_MERCHANT and action is Action.MERCHANT_ACCEPT:
        return _merchant_agrees(kind, reason, DecidedBy.AGREEMENT, "merchant_accepted")
    if state is S.AWAITING_MERCHANT and action is Action.DEADLINE:
        return _merchant_agrees(kind, reason, DecidedBy.DEADLINE, "merchant_no_answer")
    if state is S.AWAITING_BUYER and action is Action.BUYER_ACCEPT_OFFER:
        ruling = AutoRuling(
            Outcome.PARTIAL_REFUND,
            LiableParty.MERCHANT,
            DecidedBy.AGREEMENT,
            "buyer_accepted_offer",
            uses_offer_amount=True,
        )
        return Step(S.RESOLVED, ruling)
    if state is S.RETURN_IN_TRANSIT and action is Action.MERCHANT_CONFIRM_RETURN:
        decided = AutoRuling(
            _granted(kind), liable_for(reason), DecidedBy.AGREEMENT, "merchant_confirmed_return"
        )
        return Step(S.RESOLVED, decided)
    if state is S.RETURN_IN_TRANSIT and action is Action.DEADLINE:
        decided = AutoRuling(
            _granted(kind), liable_for(reason), DecidedBy.DEADLINE, "merchant_no_inspection"
        )
        return Step(S.RESOLVED, decided)
    target = _MOVES.get((state, action))
    if target is None:
        raise Conflict(f"action {action.value} is not allowed while the case is {state.value}")
    return Step(target)


def allowed_actions(kind: CaseKind, reason: ReasonCode, state: CaseState) -> list[Action]:
    """Every action that ``step`` would accept now, in declaration order."""
    allowed = []
    for action in Action:
        try:
            step(kind, reason, state, action)
        except Conflict:
            continue
        allowed.append(action)
    return allowed
