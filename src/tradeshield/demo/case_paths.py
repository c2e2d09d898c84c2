"""How demo cases travel through the case state machine, and where each one is at "now".

A path is a sequence of actions with the wait before each. Its states are worked out by
``cases.lifecycle.step`` when this module loads, so a path the state machine would refuse
cannot exist. Deadline steps happen exactly when the policy's deadline falls, as the sweep
would make them; a step after "now" has not happened yet, and the case waits in the state
before it, with the deadline that state carries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from tradeshield.cases.kinds import CaseKind, CaseState, ReasonCode
from tradeshield.cases.lifecycle import Action, step
from tradeshield.cases.policy import DeadlinePolicy
from tradeshield.demo.sampling import Flags, Floats, Ints, hours
from tradeshield.demo.timebase import NEVER

A = Action


class Wait(enum.Enum):
    MERCHANT = "merchant"
    BUYER = "buyer"
    SHIP = "ship"
    PLATFORM = "platform"
    INSPECTION = "inspection"  # the return's transit, then the shop's look at it
    DEADLINE = "deadline"


_WAIT_HOURS: dict[Wait, tuple[float, float, float, float]] = {
    # median, sigma, shortest, longest: each below the deadline of the state it ends
    Wait.MERCHANT: (9.0, 0.9, 0.1, 46.0),
    Wait.BUYER: (20.0, 0.9, 0.1, 160.0),
    Wait.SHIP: (28.0, 0.8, 1.0, 160.0),
    Wait.PLATFORM: (26.0, 0.6, 1.0, 70.0),
    Wait.INSPECTION: (16.0, 0.7, 0.5, 48.0),
}


@dataclass(frozen=True)
class Path:
    name: str
    returning: bool
    steps: tuple[tuple[Action, Wait], ...]
    states: tuple[CaseState, ...] = field(init=False)

    def __post_init__(self) -> None:
        kind = CaseKind.RETURN_AND_REFUND if self.returning else CaseKind.REFUND_ONLY
        states = [CaseState.AWAITING_MERCHANT]
        for action, _ in self.steps:
            states.append(step(kind, ReasonCode.QUALITY_ISSUE, states[-1], action).state)
        object.__setattr__(self, "states", tuple(states))

    def index_of(self, action: Action) -> int:
        """The step that performs ``action``, or -1."""
        actions = [a for a, _ in self.steps]
        return actions.index(action) if action in actions else -1

    @property
    def ruling_step(self) -> int:
        """The step that resolves the case, or -1 when the case closes unresolved."""
        return (
            self.states.index(CaseState.RESOLVED) - 1 if CaseState.RESOLVED in self.states else -1
        )


W = Wait
_APPEAL_WINDOW = (A.DEADLINE, W.DEADLINE)
_ESCALATED = (
    (A.MERCHANT_REJECT, W.MERCHANT),
    (A.BUYER_ESCALATE, W.BUYER),
    (A.PLATFORM_RULE, W.PLATFORM),
    _APPEAL_WINDOW,
)
_SHIPPED = ((A.MERCHANT_ACCEPT, W.MERCHANT), (A.BUYER_SHIP_RETURN, W.SHIP))
DIRECT = (
    Path("accepted", False, ((A.MERCHANT_ACCEPT, W.MERCHANT), _APPEAL_WINDOW)),
    Path("merchant_silent", False, ((A.DEADLINE, W.DEADLINE), _APPEAL_WINDOW)),
    Path(
        "offer_accepted",
        False,
        ((A.MERCHANT_OFFER_PARTIAL, W.MERCHANT), (A.BUYER_ACCEPT_OFFER, W.BUYER), _APPEAL_WINDOW),
    ),
    Path("offer_escalated", False, ((A.MERCHANT_OFFER_PARTIAL, W.MERCHANT), *_ESCALATED[1:])),
    Path("rejected_escalated", False, _ESCALATED),
    Path("rejected_dropped", False, ((A.MERCHANT_REJECT, W.MERCHANT), (A.DEADLINE, W.DEADLINE))),
    Path(
        "forgery_reported",
        False,
        ((A.MERCHANT_REPORT_FORGERY, W.MERCHANT), (A.PLATFORM_RULE, W.PLATFORM), _APPEAL_WINDOW),
    ),
    Path("withdrawn", False, ((A.WITHDRAW, W.BUYER),)),
)
RETURNING = (
    Path("returned", True, (*_SHIPPED, (A.MERCHANT_CONFIRM_RETURN, W.INSPECTION), _APPEAL_WINDOW)),
    Path("return_uninspected", True, (*_SHIPPED, (A.DEADLINE, W.DEADLINE), _APPEAL_WINDOW)),
    Path(
        "return_disputed",
        True,
        (
            *_SHIPPED,
            (A.MERCHANT_DISPUTE_RETURN, W.INSPECTION),
            (A.PLATFORM_RULE, W.PLATFORM),
            _APPEAL_WINDOW,
        ),
    ),
    Path("return_not_sent", True, ((A.MERCHANT_ACCEPT, W.MERCHANT), (A.DEADLINE, W.DEADLINE))),
    Path(
        "silent_then_returned",
        True,
        (
            (A.DEADLINE, W.DEADLINE),
            (A.BUYER_SHIP_RETURN, W.SHIP),
            (A.MERCHANT_CONFIRM_RETURN, W.INSPECTION),
            _APPEAL_WINDOW,
        ),
    ),
    Path("rejected_escalated", True, _ESCALATED),
    Path("rejected_dropped", True, ((A.MERCHANT_REJECT, W.MERCHANT), (A.DEADLINE, W.DEADLINE))),
    Path("withdrawn", True, ((A.WITHDRAW, W.BUYER),)),
)
# How likely each path is, for honest claims and for abusive ones (shops push back more).
DIRECT_WEIGHTS = {"honest": (38, 8, 14, 6, 14, 8, 3, 9), "abusive": (30, 6, 10, 8, 20, 8, 12, 6)}
RETURNING_WEIGHTS = {"honest": (52, 5, 6, 8, 6, 10, 5, 8), "abusive": (30, 6, 48, 2, 2, 8, 2, 2)}


@dataclass(frozen=True, slots=True)
class Progress:
    """Where each case of one path stands at "now"."""

    times: Ints  # (cases, steps): when each step happens
    done: Ints  # how many steps have happened
    state: list[CaseState]
    entered: Ints  # when the case entered its current state
    deadline: Ints  # NEVER where the state has none


def progress(
    rng: np.random.Generator,
    path: Path,
    opened: Ints,
    return_hours: Floats,
    policy: DeadlinePolicy,
    now: int,
) -> Progress:
    waits = np.zeros((len(opened), len(path.steps)), dtype=np.int64)
    for column, (_, wait) in enumerate(path.steps):
        if wait is Wait.DEADLINE:
            waits[:, column] = policy.hours[path.states[column]] * 3600
            continue
        median, sigma, low, high = _WAIT_HOURS[wait]
        drawn = np.clip(rng.lognormal(np.log(median), sigma, len(opened)), low, high)
        if wait is Wait.INSPECTION:
            drawn = np.minimum(drawn + return_hours, policy.hours[CaseState.RETURN_IN_TRANSIT] - 1)
        waits[:, column] = hours(drawn)
    times = opened[:, None] + np.cumsum(waits, axis=1)
    done = (times <= now).sum(axis=1)
    starts = np.concatenate([opened[:, None], times], axis=1)
    entered = starts[np.arange(len(opened)), done]
    state = [path.states[d] for d in done.tolist()]
    limit = np.array([policy.hours.get(s, 0) * 3600 for s in state], dtype=np.int64)
    deadline = np.where(limit > 0, entered + limit, NEVER)
    return Progress(times, done, state, entered, deadline)


@dataclass(slots=True)
class Lifecycle:
    """Per claim: the outcome of its path at "now"."""

    state: list[str]
    entered: Ints
    deadline: Ints
    closed: Ints
    version: Ints
    offer: list[int | None]
    forged: Flags
    ship_at: Ints
    ruled_at: Ints
    ruling_path: list[tuple[Path, int] | None]

    @classmethod
    def empty(cls, n: int) -> Lifecycle:
        def never() -> Ints:
            return np.full(n, NEVER, dtype=np.int64)

        return cls(
            state=[""] * n,
            entered=never(),
            deadline=never(),
            closed=never(),
            version=np.ones(n, dtype=np.int64),
            offer=[None] * n,
            forged=np.zeros(n, dtype=bool),
            ship_at=never(),
            ruled_at=never(),
            ruling_path=[None] * n,
        )
