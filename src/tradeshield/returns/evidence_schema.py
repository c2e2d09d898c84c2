"""The key-evidence vocabulary: serial and IMEI formats, weights in any usual unit.

Pure functions; the schemas and the CSV import both use them, so a value is judged the same
way whichever door it comes in by.
"""

from __future__ import annotations

import re

from tradeshield.errors import Invalid
from tradeshield.returns.kinds import SerialFormat

_GRAMS_PER_UNIT = {
    "g": 1.0,
    "gram": 1.0,
    "grams": 1.0,
    "kg": 1000.0,
    "lb": 453.59237,
    "lbs": 453.59237,
    "oz": 28.349523125,
}
_WEIGHT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$")
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9/-]{4,28}[A-Z0-9]$")
_CODE = re.compile(r"^[A-Za-z0-9-]{4,64}$")
_MAX_GRAMS = 1_000_000  # a tonne: nothing heavier goes by parcel


def luhn_valid(digits: str) -> bool:
    """The Luhn check that the 15th digit of an IMEI makes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def imei_check_digit(first_fourteen: str) -> str:
    """The digit that makes ``first_fourteen`` + digit a valid IMEI."""
    for digit in "0123456789":
        if luhn_valid(first_fourteen + digit):
            return digit
    raise AssertionError("a Luhn check digit always exists")


def normalise_serial(value: str, declared: SerialFormat | None = None) -> tuple[str, SerialFormat]:
    """The canonical serial and its format; raises ``Invalid`` for a malformed one.

    Fifteen digits are an IMEI and must pass the Luhn check; anything else must look like a
    manufacturer serial. ``declared`` insists on one format.
    """
    text = re.sub(r"[\s]", "", value).upper()
    if text.isdigit() and len(text) == 15:
        if not luhn_valid(text):
            raise Invalid(f"IMEI {text} fails its Luhn check digit", field="serial")
        found = SerialFormat.IMEI
    elif declared is SerialFormat.IMEI:
        raise Invalid(f"IMEI must be 15 digits, not {value!r}", field="serial")
    elif _SERIAL.match(text):
        found = SerialFormat.SERIAL
    else:
        raise Invalid(f"serial {value!r} is not in a known format", field="serial")
    if declared not in (None, SerialFormat.NONE) and declared is not found:
        raise Invalid(f"serial {value!r} is a {found.value}, not {declared.value}", field="serial")
    return text, found


def check_code(value: str, field: str) -> str:
    """An anti-counterfeit code or seal id: 4-64 letters, digits and dashes."""
    text = value.strip()
    if not _CODE.match(text):
        raise Invalid(f"{field} {value!r} must be 4-64 letters, digits or dashes", field=field)
    return text.upper()


def weight_in_grams(value: str | float | int, unit: str | None = None) -> int:
    """Whole grams from ``"1.2 kg"``, ``"3lb"``, ``(250, "oz")`` or plain grams."""
    if isinstance(value, str):
        match = _WEIGHT.match(value)
        if match is None:
            if unit is None:
                raise Invalid(f"weight {value!r} needs a unit (g, kg, lb, oz)", field="weight")
            try:
                amount = float(value)
            except ValueError:
                raise Invalid(f"weight {value!r} is not a number", field="weight") from None
        else:
            amount, unit = float(match.group(1)), match.group(2)
    else:
        amount = float(value)
    factor = _GRAMS_PER_UNIT.get((unit or "g").lower())
    if factor is None:
        raise Invalid(f"weight unit {unit!r} is unknown; use g, kg, lb or oz", field="weight")
    grams = round(amount * factor)
    if not 0 < grams <= _MAX_GRAMS:
        raise Invalid(f"weight must be between 1 g and 1 t, not {grams} g", field="weight")
    return grams
