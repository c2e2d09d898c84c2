"""Kinds of identifiers that link buyer accounts."""

from __future__ import annotations

import enum


class IdentifierKind(enum.StrEnum):
    PHONE = "phone"
    DEVICE = "device"
    ADDRESS = "address"
    PAYMENT_ACCOUNT = "payment_account"
