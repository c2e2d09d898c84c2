"""The purchase-policy answer takes the buyer's tier from the integrity module when the
request names none."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Api, make_buyer
from tests.returns.integrity_tier import give_tier
from tradeshield.integrity import service as integrity
from tradeshield.integrity.kinds import ActionKind, Tier


def _policy(api: Api, buyer_id: int) -> dict[str, object]:
    query = f"/v1/returns/purchase-policy?buyer_id={buyer_id}&product_id={api.market.product.id}"
    response = api.client.get(query, headers=api.headers)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def test_buyer_in_the_purchase_limit_tier_is_limited_with_the_integrity_reason(
    api: Api, session: Session
) -> None:
    scope = api.market.keys.scope
    buyer_id = api.market.order.buyer_id
    other = make_buyer(session, scope, phone="+8613700003333")
    give_tier(session, scope.tenant_id, buyer_id, Tier.PURCHASE_LIMIT, level=31.0)
    session.commit()
    decision = integrity.tier_for_buyer(session, scope, buyer_id)
    assert decision.tier is Tier.PURCHASE_LIMIT
    assert ActionKind.PURCHASE_LIMIT in decision.actions

    limited = _policy(api, buyer_id)
    assert limited["decision"] == "limited"
    reasons = limited["reasons"]
    assert isinstance(reasons, list)
    tier_reason = next(r for r in reasons if r["code"] == "limited_integrity_tier")
    assert "purchase_limit" in tier_reason["en"]
    assert tier_reason["zh"]
    assert limited["limits"] == {
        "max_quantity": 1,
        "require_prepayment": True,
        "require_unboxing_video": True,
        "refund_only_allowed": False,
    }
    assert _policy(api, other.id)["decision"] == "allowed"  # unscored: normal


def test_tiers_above_normal_lists_current_non_normal_tiers_only(session: Session) -> None:
    from tests.factories import make_tenant

    keys = make_tenant(session)
    limited = make_buyer(session, keys.scope)
    normal = make_buyer(session, keys.scope)
    give_tier(session, keys.scope.tenant_id, limited.id, Tier.MANUAL_REVIEW, level=45.0)
    give_tier(session, keys.scope.tenant_id, normal.id, Tier.NORMAL, level=90.0)
    session.flush()
    assert integrity.tiers_above_normal(session, keys.scope.tenant_id) == {
        limited.id: Tier.MANUAL_REVIEW
    }


def test_a_merchant_key_is_refused_another_shops_product_even_once_its_price_is_cached(
    api: Api, session: Session
) -> None:
    from tests.factories import make_merchant
    from tradeshield.tenancy import service as tenancy
    from tradeshield.tenancy.kinds import Role

    scope = api.market.keys.scope
    other_shop = make_merchant(session, scope)
    _, secret = tenancy.issue_api_key(session, scope.tenant_id, Role.MERCHANT, other_shop.id)
    session.commit()
    query = (
        f"/v1/returns/purchase-policy?buyer_id={api.market.order.buyer_id}"
        f"&product_id={api.market.product.id}"
    )
    assert api.client.get(query, headers=api.headers).status_code == 200  # now cached
    refused = api.client.get(query, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 403
    missing = api.client.get(query.replace(f"={api.market.product.id}", "=999999"),
                             headers=api.headers)  # fmt: skip
    assert missing.status_code == 404


def test_get_and_post_give_the_same_answer_in_the_documented_shape(api: Api) -> None:
    from tradeshield.returns.schemas import PurchaseAnswerOut

    buyer_id, product_id = api.market.order.buyer_id, api.market.product.id
    got = _policy(api, buyer_id)
    posted = api.client.post(
        "/v1/returns/purchase-policy", headers=api.headers,
        json={"buyer_id": buyer_id, "product_id": product_id},
    ).json()  # fmt: skip
    assert got == posted
    assert PurchaseAnswerOut.model_validate(got).model_dump(mode="json") == got
