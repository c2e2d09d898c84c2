"""Purchase restrictions from confirmed mismatches, the checkout-time policy answer, and
appeals that lift a restriction or a consortium entry.

The checkout path makes one indexed query for most buyers (the account's identifier
hashes); the product price, the restricted sets and the integrity tiers come from
per-process snapshots (``checkout_index``), and the active restrictions are read only for a
buyer the snapshot says is touched. Nothing is computed per order history.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.buyers import service as buyers
from tradeshield.catalog import service as catalog
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.i18n.catalog import reason
from tradeshield.integrity import service as integrity
from tradeshield.integrity.kinds import Tier
from tradeshield.returns import purchase_policy
from tradeshield.returns.checking import get_verification
from tradeshield.returns.checkout_index import PriceCache, RestrictedSets, TenantSnapshots
from tradeshield.returns.kinds import (
    AppealStatus,
    AppealSubject,
    LiableParty,
    RestrictionLevel,
    VerificationResult,
)
from tradeshield.returns.models import (
    ConsortiumEntry,
    PurchaseRestriction,
    RestrictedIdentifier,
    ReturnVerification,
    RiskAppeal,
)
from tradeshield.returns.policy import ReturnsPolicy, load_policy
from tradeshield.returns.schemas import AppealDecisionIn, AppealIn, PurchaseCheckIn
from tradeshield.returns.verification import DOMAIN
from tradeshield.tenancy.scope import Scope


def confirm(
    session: Session, scope: Scope, verification_id: int, policy: ReturnsPolicy | None = None
) -> PurchaseRestriction | None:
    """Confirm a verification; a buyer-liable mismatch then restricts the buyer's purchases."""
    scope.require_write()
    policy = policy or load_policy()
    found = get_verification(session, scope, verification_id)
    if found.confirmed:
        raise Conflict(f"return verification {found.id} is already confirmed")
    found.confirmed = True
    audit.record(session, scope, "return_verification", found.id, "confirmed", {})
    if (
        found.result is not VerificationResult.MISMATCH
        or found.liable_party is not LiableParty.BUYER
    ):
        return None
    now = utcnow()
    since = now - dt.timedelta(days=policy.purchase.window_days)
    count = session.scalar(
        select(func.count()).select_from(ReturnVerification).where(
            ReturnVerification.tenant_id == scope.tenant_id,
            ReturnVerification.buyer_id == found.buyer_id,
            ReturnVerification.confirmed.is_(True),
            ReturnVerification.result == VerificationResult.MISMATCH,
            ReturnVerification.liable_party == LiableParty.BUYER,
            ReturnVerification.created_at >= since,
        )
    ) or 0  # fmt: skip
    level = purchase_policy.level_for(count, policy.purchase)
    if level is None:
        return None
    return _restrict(session, scope, found, level, count, policy)


def _restrict(
    session: Session, scope: Scope, found: ReturnVerification, level: RestrictionLevel,
    count: int, policy: ReturnsPolicy,
) -> PurchaseRestriction:  # fmt: skip
    days = (
        policy.purchase.blocked_days
        if level is RestrictionLevel.BLOCKED
        else policy.purchase.limited_days
    )
    buyer = buyers.get_buyer(session, Scope.system(scope.tenant_id), found.buyer_id)
    hashes = sorted({i.keyed_hash for i in buyer.identifiers})
    restriction = PurchaseRestriction(
        tenant_id=scope.tenant_id, buyer_id=found.buyer_id, verification_id=found.id,
        level=level, reasons=[reason("restricted_after_mismatches", DOMAIN, count=count)],
        identifier_hashes=hashes, policy_version=policy.version,
        expires_at=utcnow() + dt.timedelta(days=days),
    )  # fmt: skip
    session.add(restriction)
    session.flush()
    for keyed in hashes:
        session.add(RestrictedIdentifier(
            tenant_id=scope.tenant_id, restriction_id=restriction.id, keyed_hash=keyed
        ))  # fmt: skip
    _index.forget(scope.tenant_id)
    audit.record(session, scope, "purchase_restriction", restriction.id, "created",
                 {"buyer_id": found.buyer_id, "level": level.value})  # fmt: skip
    return restriction


def _buyer_id(session: Session, scope: Scope, check_in: PurchaseCheckIn) -> int:
    if check_in.buyer_id is not None:
        return check_in.buyer_id
    if check_in.buyer_external_ref:
        found = buyers.find_buyer(session, scope, check_in.buyer_external_ref)
        if found is None:
            raise NotFound(f"buyer {check_in.buyer_external_ref!r} does not exist")
        return found.id
    raise Invalid("send buyer_id or buyer_external_ref", field="buyer_id")


def active_restrictions(
    session: Session, tenant_id: int, buyer_id: int, hashes: list[str], now: dt.datetime
) -> list[purchase_policy.ActiveRestriction]:
    linked = select(RestrictedIdentifier.restriction_id).where(
        RestrictedIdentifier.tenant_id == tenant_id, RestrictedIdentifier.keyed_hash.in_(hashes)
    )
    query = select(PurchaseRestriction).where(
        PurchaseRestriction.tenant_id == tenant_id,
        PurchaseRestriction.lifted_at.is_(None),
        PurchaseRestriction.expires_at > now,
        or_(PurchaseRestriction.buyer_id == buyer_id, PurchaseRestriction.id.in_(linked)),
    )
    return [
        purchase_policy.ActiveRestriction(
            r.id, r.level, r.buyer_id != buyer_id, r.expires_at.date().isoformat()
        )
        for r in session.scalars(query.order_by(PurchaseRestriction.id))
    ]


_policy_numbers = load_policy().purchase
_index: TenantSnapshots[RestrictedSets] = TenantSnapshots(_policy_numbers.index_ttl_seconds)
_tiers: TenantSnapshots[dict[int, Tier]] = TenantSnapshots(_policy_numbers.index_ttl_seconds)
_prices: PriceCache[catalog.ListedPrice] = PriceCache(_policy_numbers.price_ttl_seconds)


def _restricted_sets(session: Session, tenant_id: int) -> RestrictedSets:
    rows = session.execute(
        select(PurchaseRestriction.buyer_id, PurchaseRestriction.identifier_hashes).where(
            PurchaseRestriction.tenant_id == tenant_id,
            PurchaseRestriction.lifted_at.is_(None),
            PurchaseRestriction.expires_at > utcnow(),
        )
    ).all()
    return RestrictedSets(
        frozenset(int(b) for b, _ in rows), frozenset(h for _, hashes in rows for h in hashes)
    )


def check_purchase(
    session: Session, scope: Scope, check_in: PurchaseCheckIn, policy: ReturnsPolicy | None = None
) -> purchase_policy.PurchaseAnswer:
    policy = policy or load_policy()
    tenant_id = scope.tenant_id
    buyer_id = _buyer_id(session, scope, check_in)
    hashes = buyers.identifier_hashes_of(session, tenant_id, buyer_id)
    if hashes is None:
        raise NotFound(f"buyer {buyer_id} does not exist")
    listed = _prices.get(
        tenant_id, check_in.product_id, lambda: catalog.listed_price(session, check_in.product_id)
    )
    scope.check_row(listed.tenant_id, listed.merchant_id)  # on every answer, cached or not
    found: list[purchase_policy.ActiveRestriction] = []
    sets = _index.get(tenant_id, lambda: _restricted_sets(session, tenant_id))
    if sets.touches(buyer_id, hashes):
        found = active_restrictions(session, tenant_id, buyer_id, hashes, utcnow())
    # A tier given with the request (the platform's own risk system) wins over ours.
    tier: str | None = check_in.integrity_tier
    if tier is None:
        tiers = _tiers.get(tenant_id, lambda: integrity.tiers_above_normal(session, tenant_id))
        tier = tiers.get(buyer_id, Tier.NORMAL).value
    return purchase_policy.decide(
        found, tier, listed.price_minor, check_in.quantity, policy.purchase
    )


def restrictions_of(session: Session, scope: Scope, limit: int = 100) -> list[PurchaseRestriction]:
    query = select(PurchaseRestriction).where(PurchaseRestriction.tenant_id == scope.tenant_id)
    return list(session.scalars(query.order_by(PurchaseRestriction.id.desc()).limit(limit)))


def file_appeal(session: Session, scope: Scope, appeal_in: AppealIn) -> RiskAppeal:
    """An appeal against a restriction (in this tenant) or a consortium entry it published."""
    scope.require_write()
    _subject_row(session, scope, appeal_in.subject, appeal_in.subject_id)
    appeal = RiskAppeal(
        tenant_id=scope.tenant_id, subject=appeal_in.subject, subject_id=appeal_in.subject_id,
        statement=appeal_in.statement, status=AppealStatus.OPEN,
    )  # fmt: skip
    session.add(appeal)
    session.flush()
    audit.record(
        session, scope, "risk_appeal", appeal.id, "filed", {"subject": appeal.subject.value}
    )
    return appeal


def _subject_row(
    session: Session, scope: Scope, subject: AppealSubject, subject_id: int
) -> PurchaseRestriction | ConsortiumEntry:
    row: PurchaseRestriction | ConsortiumEntry | None
    if subject is AppealSubject.RESTRICTION:
        row = session.get(PurchaseRestriction, subject_id)
        owner = None if row is None else row.tenant_id
    else:
        row = session.get(ConsortiumEntry, subject_id)
        owner = None if row is None else row.publisher_tenant_id
    if row is None:
        raise NotFound(f"{subject.value} {subject_id} does not exist")
    scope.check_row(owner or 0)
    return row


def decide_appeal(
    session: Session, scope: Scope, appeal_id: int, decision: AppealDecisionIn
) -> RiskAppeal:
    """Decide an open appeal; an upheld one lifts the restriction or removes the entry."""
    scope.require_operator()
    appeal = session.get(RiskAppeal, appeal_id)
    if appeal is None or appeal.tenant_id != scope.tenant_id:
        raise NotFound(f"appeal {appeal_id} does not exist")
    if appeal.status is not AppealStatus.OPEN:
        raise Conflict(f"appeal {appeal_id} is already {appeal.status.value}")
    now = utcnow()
    appeal.status = AppealStatus.UPHELD if decision.upheld else AppealStatus.REJECTED
    appeal.decision_note, appeal.decided_at = decision.note, now
    if decision.upheld:
        row = _subject_row(session, scope, appeal.subject, appeal.subject_id)
        if isinstance(row, PurchaseRestriction):
            row.lifted_at = now
            _index.forget(scope.tenant_id)
        else:
            row.removed_at, row.removal_reason = now, f"appeal {appeal.id} upheld"
    audit.record(
        session, scope, "risk_appeal", appeal.id, appeal.status.value, {"note": decision.note}
    )
    return appeal


def appeals_of(session: Session, scope: Scope, limit: int = 100) -> list[RiskAppeal]:
    query = select(RiskAppeal).where(RiskAppeal.tenant_id == scope.tenant_id)
    return list(session.scalars(query.order_by(RiskAppeal.id.desc()).limit(limit)))
