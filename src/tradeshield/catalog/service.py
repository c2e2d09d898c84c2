"""Shops, products and price history."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.catalog.industries import Industry
from tradeshield.catalog.models import Merchant, PriceChange, Product
from tradeshield.catalog.schemas import MerchantIn, PriceChangeIn, ProductIn
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.tenancy.scope import Scope


def create_merchant(session: Session, scope: Scope, merchant_in: MerchantIn) -> Merchant:
    scope.require_operator()
    if merchant_in.external_ref is not None:
        taken = select(Merchant.id).where(
            Merchant.tenant_id == scope.tenant_id, Merchant.external_ref == merchant_in.external_ref
        )
        if session.scalar(taken) is not None:
            raise Conflict(f"a merchant with external_ref {merchant_in.external_ref!r} exists")
    merchant = Merchant(tenant_id=scope.tenant_id, **merchant_in.model_dump())
    session.add(merchant)
    session.flush()
    audit.record(session, scope, "merchant", merchant.id, "created", merchant_in.model_dump())
    return merchant


def get_merchant(session: Session, scope: Scope, merchant_id: int) -> Merchant:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound(f"merchant {merchant_id} does not exist")
    scope.check_row(merchant.tenant_id, merchant.id)
    return merchant


def list_merchants(
    session: Session, scope: Scope, page: PageRequest, industry: Industry | None = None
) -> PageOf[Merchant]:
    query = select(Merchant).where(Merchant.tenant_id == scope.tenant_id)
    if scope.merchant_id is not None:
        query = query.where(Merchant.id == scope.merchant_id)
    if industry is not None:
        query = query.where(Merchant.industry == industry)
    return keyset_page(session, query, Merchant.id, page)


def merchant_ids_of_industry(session: Session, scope: Scope, industry: Industry) -> list[int]:
    """The ids of the tenant's shops in ``industry`` (only the caller's own for a merchant)."""
    query = select(Merchant.id).where(
        Merchant.tenant_id == scope.tenant_id, Merchant.industry == industry
    )
    if scope.merchant_id is not None:
        query = query.where(Merchant.id == scope.merchant_id)
    return list(session.scalars(query))


def create_product(session: Session, scope: Scope, product_in: ProductIn) -> Product:
    scope.require_write()
    merchant = get_merchant(session, scope, product_in.merchant_id)
    taken = select(Product.id).where(
        Product.merchant_id == merchant.id, Product.sku == product_in.sku
    )
    if session.scalar(taken) is not None:
        raise Conflict(f"shop {merchant.id} already has a product with SKU {product_in.sku!r}")
    fields = product_in.model_dump()
    fields["industry"] = product_in.industry or merchant.industry
    product = Product(tenant_id=scope.tenant_id, **fields)
    session.add(product)
    session.flush()
    session.add(
        PriceChange(
            tenant_id=scope.tenant_id,
            product_id=product.id,
            price_minor=product.price_minor,
            currency=product.currency,
            changed_at=product.created_at,
            source="listing",
        )
    )
    audit.record(session, scope, "product", product.id, "created", {"sku": product.sku})
    return product


@dataclass(frozen=True, slots=True)
class ListedPrice:
    tenant_id: int
    merchant_id: int
    price_minor: int


# Built once: checkout asks for prices at hundreds of calls a second.
_PRICE_OF = select(Product.tenant_id, Product.merchant_id, Product.price_minor).where(
    Product.id == bindparam("product_id")
)


def listed_price(session: Session, product_id: int) -> ListedPrice:
    """A product's current price and its owners, in one indexed read; the caller checks its
    scope against them (it may keep the answer a while)."""
    row = session.connection().execute(_PRICE_OF, {"product_id": product_id}).first()
    if row is None:
        raise NotFound(f"product {product_id} does not exist")
    return ListedPrice(int(row.tenant_id), int(row.merchant_id), int(row.price_minor))


def get_product(session: Session, scope: Scope, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    scope.check_row(product.tenant_id, product.merchant_id)
    return product


def list_products(
    session: Session,
    scope: Scope,
    page: PageRequest,
    merchant_id: int | None = None,
    industry: Industry | None = None,
    sku: str | None = None,
) -> PageOf[Product]:
    query = select(Product).where(Product.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(merchant_id)
    if shop is not None:
        query = query.where(Product.merchant_id == shop)
    if industry is not None:
        query = query.where(Product.industry == industry)
    if sku is not None:
        query = query.where(Product.sku == sku)
    return keyset_page(session, query, Product.id, page)


def change_price(
    session: Session, scope: Scope, product_id: int, change_in: PriceChangeIn
) -> PriceChange:
    scope.require_write()
    product = get_product(session, scope, product_id)
    if change_in.currency != product.currency:
        raise Invalid(
            f"product is priced in {product.currency}, not {change_in.currency}", field="currency"
        )
    at = change_in.changed_at or utcnow()
    change = PriceChange(
        tenant_id=scope.tenant_id,
        product_id=product.id,
        price_minor=change_in.price_minor,
        currency=change_in.currency,
        changed_at=at,
        source=change_in.source,
    )
    session.add(change)
    before = product.price_minor
    product.price_minor = change_in.price_minor
    product.updated_at = at
    session.flush()
    details = {"from_minor": before, "to_minor": change_in.price_minor}
    audit.record(session, scope, "product", product.id, "price_changed", details)
    return change


def price_history(
    session: Session, scope: Scope, product_id: int, page: PageRequest
) -> PageOf[PriceChange]:
    product = get_product(session, scope, product_id)
    query = select(PriceChange).where(PriceChange.product_id == product.id)
    return keyset_page(session, query, PriceChange.id, page)


def find_merchant(session: Session, scope: Scope, external_ref: str) -> Merchant:
    query = select(Merchant).where(
        Merchant.tenant_id == scope.tenant_id, Merchant.external_ref == external_ref
    )
    merchant = session.scalar(query)
    if merchant is None:
        raise NotFound(f"no merchant with external_ref {external_ref!r}")
    scope.check_row(merchant.tenant_id, merchant.id)
    return merchant


def find_product(session: Session, scope: Scope, merchant_id: int, sku: str) -> Product:
    query = select(Product).where(
        Product.tenant_id == scope.tenant_id, Product.merchant_id == merchant_id, Product.sku == sku
    )
    product = session.scalar(query)
    if product is None:
        raise NotFound(f"shop {merchant_id} has no product with SKU {sku!r}")
    scope.check_row(product.tenant_id, product.merchant_id)
    return product


# Reads for other modules' batch work (integrity); the caller has checked the scope.

PRODUCT_CATEGORY_FRAME: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "category": pl.String(),
}


def product_category_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every product of the tenant with its category: ``PRODUCT_CATEGORY_FRAME`` columns."""
    tenant = whole_tenant(session, Product.tenant_id, tenant_id)
    return FrameQuery(select(Product.id, Product.category).where(tenant), PRODUCT_CATEGORY_FRAME)


def product_categories(
    session: Session, tenant_id: int, product_ids: Collection[int]
) -> Sequence[Row[tuple[int, str]]]:
    """``(product_id, category)`` of ``product_ids``, in the session's transaction."""
    query = select(Product.id, Product.category).where(
        Product.tenant_id == tenant_id, Product.id.in_(product_ids)
    )
    return session.connection().execute(query).all()
