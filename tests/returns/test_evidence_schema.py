from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeshield.errors import Invalid
from tradeshield.returns.evidence_schema import (
    imei_check_digit,
    luhn_valid,
    normalise_serial,
    weight_in_grams,
)
from tradeshield.returns.kinds import SerialFormat

fourteen_digits = st.text(alphabet="0123456789", min_size=14, max_size=14)


@given(fourteen_digits)
def test_imei_with_its_check_digit_is_accepted(body: str) -> None:
    imei = body + imei_check_digit(body)
    assert normalise_serial(imei) == (imei, SerialFormat.IMEI)


@given(fourteen_digits, st.integers(0, 14), st.integers(1, 9))
def test_imei_with_one_digit_changed_fails_luhn(body: str, position: int, shift: int) -> None:
    imei = body + imei_check_digit(body)
    changed = imei[:position] + str((int(imei[position]) + shift) % 10) + imei[position + 1 :]
    assert not luhn_valid(changed)
    with pytest.raises(Invalid, match="Luhn"):
        normalise_serial(changed)


def test_known_imei_passes_and_serial_is_upper_cased() -> None:
    assert normalise_serial("490154203237518")[1] is SerialFormat.IMEI
    assert normalise_serial("sn-ab12 cd34") == ("SN-AB12CD34", SerialFormat.SERIAL)


@pytest.mark.parametrize("bad", ["", "ab", "!!!!!!!!", "x" * 40])
def test_unknown_serial_format_is_refused(bad: str) -> None:
    with pytest.raises(Invalid):
        normalise_serial(bad)


def test_declared_imei_must_be_an_imei() -> None:
    with pytest.raises(Invalid, match="15 digits"):
        normalise_serial("SN12345678", SerialFormat.IMEI)


@pytest.mark.parametrize(
    ("value", "unit", "grams"),
    [
        ("1.2 kg", None, 1200),
        ("350g", None, 350),
        ("2 lb", None, 907),
        ("16 oz", None, 454),
        (500, None, 500),
        ("0.5", "kg", 500),
        (3, "LB", 1361),
    ],
)
def test_weights_in_other_units_are_converted_to_grams(
    value: str | int, unit: str | None, grams: int
) -> None:
    assert weight_in_grams(value, unit) == grams


@pytest.mark.parametrize(
    ("value", "unit"), [("3 stone", None), ("12", "jin"), ("12", None), ("heavy", "g"), (0, None)]
)
def test_unknown_units_and_bad_weights_are_refused(value: str | int, unit: str | None) -> None:
    with pytest.raises(Invalid):
        weight_in_grams(value, unit)
