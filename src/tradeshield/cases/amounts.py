"""Money typed by a person ("12.50") as integer minor units of the case's currency. Pure.

People type amounts in the main unit; the platform stores minor units. The text is read
digit by digit, never through a float, and more decimals than the currency has are
refused rather than rounded: a refund is never silently a fen off.
"""

from __future__ import annotations

import re

from babel.numbers import get_currency_precision

from tradeshield.errors import Invalid

# Commas only as thousands separators: "12,5" (a decimal comma) must not read as 125.
_AMOUNT = re.compile(r"^(\d{1,12}|\d{1,3}(?:,\d{3}){1,3})(?:\.(\d+))?$")


def minor_units(text: str, currency: str, field: str = "amount") -> int:
    """``"12.5"`` in CNY is 1250; ``"1,000"`` in JPY is 1000. Raises ``Invalid`` otherwise."""
    found = _AMOUNT.match(text.strip())
    if found is None:
        raise Invalid(f"{text!r} is not an amount like 12.50", field=field)
    whole, fraction = found.group(1).replace(",", ""), found.group(2) or ""
    digits = int(get_currency_precision(currency))
    if len(fraction) > digits:
        raise Invalid(f"{currency} has {digits} decimal places, not {len(fraction)}", field=field)
    scale: int = 10**digits
    return int(whole) * scale + int(fraction.ljust(digits, "0") or "0")
