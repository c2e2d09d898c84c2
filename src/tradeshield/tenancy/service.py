"""Tenants, API keys and turning a presented key into a Scope."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.errors import Conflict, Invalid, NotFound, Unauthorized
from tradeshield.tenancy import key_cache
from tradeshield.tenancy.kinds import Role, TenantKind
from tradeshield.tenancy.models import ApiKey, Tenant
from tradeshield.tenancy.scope import Scope

KEY_PREFIX = "ts"


def create_tenant(session: Session, slug: str, name: str, kind: TenantKind) -> Tenant:
    if session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise Conflict(f"tenant {slug!r} already exists")
    tenant = Tenant(slug=slug, name=name, kind=kind)
    session.add(tenant)
    session.flush()
    return tenant


def get_tenant(session: Session, tenant_id: int) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound(f"tenant {tenant_id} does not exist")
    return tenant


def find_tenant(session: Session, slug: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound(f"tenant {slug!r} does not exist")
    return tenant


def issue_api_key(
    session: Session,
    tenant_id: int,
    role: Role,
    merchant_id: int | None = None,
    name: str = "",
) -> tuple[ApiKey, str]:
    """A new key; the clear secret is returned once and only its SHA-256 is kept."""
    if (role is Role.MERCHANT) != (merchant_id is not None):
        raise Invalid("a merchant key needs merchant_id, and only a merchant key may have one")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    key = ApiKey(
        tenant_id=tenant_id,
        prefix=prefix,
        secret_sha256=hashlib.sha256(secret.encode()).hexdigest(),
        role=role,
        merchant_id=merchant_id,
        name=name,
    )
    session.add(key)
    session.flush()
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def _split(presented: str) -> tuple[str, str]:
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("API key is malformed")
    return parts[1], parts[2]


def _scope_of(key: ApiKey) -> Scope:
    if key.revoked_at is not None:
        raise Unauthorized("API key has been revoked")
    return Scope(
        tenant_id=key.tenant_id,
        role=key.role,
        merchant_id=key.merchant_id,
        actor=f"key:{key.prefix}",
    )


def authenticate(session: Session, presented: str) -> Scope:
    prefix, secret = _split(presented)
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    digest = hashlib.sha256(secret.encode()).hexdigest()
    if key is None or not hmac.compare_digest(digest, key.secret_sha256):
        raise Unauthorized("API key is not valid")
    return _scope_of(key)


def authenticate_cached(
    make_session: Callable[[], Session], presented: str, ttl_seconds: float
) -> Scope:
    """``authenticate`` with the per-process scope cache (see ``key_cache``); the session is
    opened only when the key is not cached."""
    digest = key_cache.scopes.digest(presented)
    cached = key_cache.scopes.get(digest)
    if cached is not None:
        return cached
    with make_session() as session:
        scope = authenticate(session, presented)
    key_cache.scopes.put(digest, scope, ttl_seconds)
    return scope


def public_id(presented: str) -> str:
    """The non-secret part of a key, which names it (e.g. in a signed console cookie)."""
    return _split(presented)[0]


def scope_for_public_id(session: Session, prefix: str) -> Scope:
    """The scope of the key named by ``prefix``; the caller must already trust the name."""
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise Unauthorized("API key is not valid")
    return _scope_of(key)
