"""The sign-in cookie: which API key signed in (its public id, never its secret), and when.

The console keeps no server-side sessions. The cookie names the key by its public id, so
every request looks the key up again through ``tenancy.service.scope_for_public_id``: a
revoked key stops working in the console at once, and a stolen cookie never reveals the
API secret. The HMAC signature (keyed from the installation secret)
means the server alone decides how long a sign-in lasts — a cookie replayed after
``MAX_AGE`` or edited by hand is refused — and the cookie is HttpOnly and SameSite=Strict,
so page scripts cannot read it and other sites cannot make the browser send it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac

from tradeshield.settings import get_settings

COOKIE = "tradeshield_console"
MAX_AGE = dt.timedelta(hours=12)
_VERSION = "v2"
_PURPOSE = b"tradeshield console sign-in cookie v2"


def _signing_key() -> bytes:
    # Derived, so the installation secret itself never signs anything a browser holds.
    secret = get_settings().resolved_identifier_secret()
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str) -> str:
    return _b64(hmac.new(_signing_key(), payload.encode(), hashlib.sha256).digest())


def seal(key_public_id: str, now: dt.datetime) -> str:
    payload = f"{_VERSION}.{_b64(key_public_id.encode())}.{int(now.timestamp())}"
    return f"{payload}.{_signature(payload)}"


def unseal(value: str | None, now: dt.datetime) -> str | None:
    """The key's public id in a cookie this server issued within ``MAX_AGE``; else None."""
    if not value:
        return None
    payload, _, signature = value.rpartition(".")
    if not hmac.compare_digest(signature.encode(), _signature(payload).encode()):
        return None
    version, _, rest = payload.partition(".")
    encoded_key, _, issued = rest.partition(".")
    if version != _VERSION or not issued.isdigit():
        return None
    age = now - dt.datetime.fromtimestamp(int(issued), dt.UTC)
    if age < -dt.timedelta(minutes=5) or age > MAX_AGE:
        return None
    try:
        return _unb64(encoded_key).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
