"""Checkout-time purchase limits: allowed, limited (with which limits) or blocked.

Inputs are the buyer's active restrictions (made from confirmed mismatches, on the account
or on an account sharing an identifier with it) and the account's integrity tier (from the
integrity module). Pure: the service looks the restrictions up, this decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tradeshield.i18n.catalog import reason
from tradeshield.returns.kinds import PolicyDecision, RestrictionLevel
from tradeshield.returns.policy import PurchasePolicy
from tradeshield.returns.verification import DOMAIN


@dataclass(frozen=True, slots=True)
class ActiveRestriction:
    id: int
    level: RestrictionLevel
    linked: bool  # found through a shared identifier, not on the account itself
    expires_at: str


@dataclass(frozen=True, slots=True)
class Limits:
    max_quantity: int | None = None
    require_prepayment: bool = False
    require_unboxing_video: bool = False
    refund_only_allowed: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "max_quantity": self.max_quantity,
            "require_prepayment": self.require_prepayment,
            "require_unboxing_video": self.require_unboxing_video,
            "refund_only_allowed": self.refund_only_allowed,
        }


@dataclass(frozen=True, slots=True)
class PurchaseAnswer:
    decision: PolicyDecision
    limits: Limits
    reasons: list[dict[str, str]] = field(default_factory=list)
    restriction_ids: list[int] = field(default_factory=list)


def level_for(confirmed_mismatches: int, policy: PurchasePolicy) -> RestrictionLevel | None:
    if confirmed_mismatches >= policy.blocked_after:
        return RestrictionLevel.BLOCKED
    if confirmed_mismatches >= policy.limited_after:
        return RestrictionLevel.LIMITED
    return None


def _limits(price_minor: int, policy: PurchasePolicy) -> Limits:
    return Limits(
        max_quantity=policy.max_quantity,
        require_prepayment=price_minor >= policy.prepayment_from_minor,
        require_unboxing_video=True,
        refund_only_allowed=False,
    )


def decide(
    restrictions: Sequence[ActiveRestriction],
    integrity_tier: str | None,
    price_minor: int,
    quantity: int,
    policy: PurchasePolicy,
) -> PurchaseAnswer:
    ids = [r.id for r in restrictions]
    reasons: list[dict[str, str]] = []
    blocked = [r for r in restrictions if r.level is RestrictionLevel.BLOCKED]
    if blocked:
        reasons.append(reason("blocked_confirmed_mismatches", DOMAIN, until=blocked[0].expires_at))
    if integrity_tier is not None and integrity_tier in policy.blocked_tiers:
        reasons.append(reason("blocked_integrity_tier", DOMAIN, tier=integrity_tier))
    if reasons:
        return PurchaseAnswer(PolicyDecision.BLOCKED, Limits(max_quantity=0), reasons, ids)
    for found in restrictions:
        code = "limited_linked_account" if found.linked else "limited_confirmed_mismatch"
        reasons.append(reason(code, DOMAIN, until=found.expires_at))
    if integrity_tier is not None and integrity_tier in policy.limited_tiers:
        reasons.append(reason("limited_integrity_tier", DOMAIN, tier=integrity_tier))
    if not reasons:
        return PurchaseAnswer(PolicyDecision.ALLOWED, Limits(), [reason("allowed", DOMAIN)], [])
    limits = _limits(price_minor, policy)
    if limits.max_quantity is not None and quantity > limits.max_quantity:
        reasons.append(reason("quantity_capped", DOMAIN, max=limits.max_quantity))
    return PurchaseAnswer(PolicyDecision.LIMITED, limits, reasons, ids)
