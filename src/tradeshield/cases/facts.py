"""The facts of a case that the rule packs read, gathered from its order, shop and parcel.

Only what the platform records: commitments the catalogue has no field for yet (a freshness
guarantee, say) and item statements are left to their defaults (false) here; the caller of
an adjudication may add them. Forensic reports, return checks and integrity tiers are added
by ``rules.service``, which may read those modules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tradeshield.cases.models import Case
from tradeshield.catalog import service as catalog
from tradeshield.orders import service as orders
from tradeshield.pagination import PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import Direction
from tradeshield.tenancy.scope import Scope


def case_facts(session: Session, scope: Scope, case: Case) -> dict[str, Any]:
    order = orders.get_order(session, scope, case.order_id)
    merchant = catalog.get_merchant(session, scope, case.merchant_id)
    parcels = shipments.list_shipments(
        session, scope, PageRequest(limit=5), order_id=order.id, direction=Direction.OUTBOUND
    ).items
    parcel = min(parcels, key=lambda p: p.id) if parcels else None
    delivered_at = parcel.delivered_at if parcel is not None else None
    return {
        "kind": case.kind.value,
        "reason": case.reason_code.value,
        "industry": merchant.industry.value,
        "currency": case.currency,
        "order_amount_minor": order.total_minor,
        "claimed_amount_minor": case.claimed_amount_minor,
        "offer_amount_minor": case.offer_amount_minor,
        "ordered_at": order.placed_at,
        "promised_delivery_at": parcel.promised_delivery_at if parcel is not None else None,
        "delivered_at": delivered_at if delivered_at and delivered_at <= case.opened_at else None,
        "claimed_at": case.opened_at,
        "merchant_reported_forgery": case.forgery_suspected,
        "appeal_count": case.appeal_count,
    }
