"""Reasons in Chinese and English for an integrity score, from the ``integrity`` catalogue.

Risk factors name the feature that pushed the level down and show its value; rule, guard
and appeal codes say what the policy did on top of the model.
"""

from __future__ import annotations

from collections.abc import Mapping

from tradeshield.i18n.catalog import reason
from tradeshield.integrity.scoring import APPEAL_CODE

DOMAIN = "integrity"
CLEAN_CODE = "clean_history"

_PERCENT = {
    "refund_only_rate_90d", "refund_only_rate_365d", "ruled_against_share_365d",
    "claim_to_order_value_365d", "quick_claim_share_365d", "night_share_365d",
    "ring_abuse_share",
}  # fmt: skip
_MONEY = {"claimed_minor_90d", "claimed_minor_365d", "ring_claimed_minor"}
_DECIMAL = {"decayed_against", "decayed_orders", "account_age_days"}


def display_value(feature: str, value: float) -> str:
    if feature in _PERCENT:
        return f"{value * 100:.0f}%"
    if feature in _MONEY:
        return f"{value / 100:,.2f}"
    if feature in _DECIMAL:
        return f"{value:.1f}"
    return f"{value:.0f}"


def explain(codes: list[str], inputs: Mapping[str, float]) -> list[dict[str, str]]:
    """The stored reasons for a score: ``{code, zh, en}``, strongest first."""
    clean = reason(CLEAN_CODE, DOMAIN, orders=display_value("orders", inputs["orders_365d"]))
    if not codes or codes == [APPEAL_CODE]:
        return [clean, *(reason(c, DOMAIN) for c in codes)]
    return [
        reason(code, DOMAIN, value=display_value(code, inputs[code]))
        if code in inputs
        else reason(code, DOMAIN)
        for code in codes
    ]
