"""What a return check (the ``returns`` module's verification) means for a ruling. Pure.

Only a failure the check puts on the buyer reaches the packs as that failure (``mismatch``,
``partial``, ``damaged``); a failure it puts on the courier is ``courier_damage`` (the buyer
is refunded and the courier claimed against), and one it leaves undetermined or puts on the
merchant's own missing or wrong shipping evidence is ``inconclusive``, which a person
decides: a return check never denies a claim on evidence that does not point at the buyer.
"""

from __future__ import annotations

from tradeshield.rules.kinds import ReturnCheck

_BUYER_FAILURES = {
    "mismatch": ReturnCheck.MISMATCH,
    "partial": ReturnCheck.PARTIAL,
    "damaged": ReturnCheck.DAMAGED,
}


def return_check(result: str, liable_party: str) -> ReturnCheck:
    """``result`` and ``liable_party`` as the verification stores them."""
    if result == "match":
        return ReturnCheck.MATCH
    if liable_party == "courier":
        return ReturnCheck.COURIER_DAMAGE
    if liable_party == "buyer" and result in _BUYER_FAILURES:
        return _BUYER_FAILURES[result]
    return ReturnCheck.INCONCLUSIVE
