"""Keyed hashing of people's identifiers. The clear value never leaves this function."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.errors import Invalid

_SPACES = re.compile(r"\s+")
_PHONE_KEEP = re.compile(r"[^0-9+]")


def normalise(kind: IdentifierKind, value: str) -> str:
    """The canonical spelling, so that the same phone or address always hashes alike."""
    text = unicodedata.normalize("NFKC", value).strip()
    if kind is IdentifierKind.PHONE:
        text = _PHONE_KEEP.sub("", text)
        if text.startswith("00"):
            text = "+" + text[2:]
        if len(text.lstrip("+")) < 5:
            raise Invalid(f"phone number {value!r} is too short")
        return text
    text = _SPACES.sub(" ", text).casefold()
    if not text:
        raise Invalid(f"{kind.value} identifier is empty")
    return text


def keyed_hash(secret: bytes, kind: IdentifierKind, value: str) -> str:
    """HMAC-SHA256 of the canonical value, namespaced by kind; hex, 64 characters."""
    message = f"{kind.value}:{normalise(kind, value)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
