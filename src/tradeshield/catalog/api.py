"""Routes for shops, products and prices."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.catalog import service
from tradeshield.catalog.industries import Industry
from tradeshield.catalog.schemas import (
    MerchantIn,
    MerchantOut,
    PriceChangeIn,
    PriceChangeOut,
    ProductIn,
    ProductOut,
)
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page

router = APIRouter(tags=["catalog"])


@router.post("/merchants", status_code=201, response_model=MerchantOut)
def create_merchant(
    body: MerchantIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/merchants", body),
        lambda: MerchantOut.model_validate(service.create_merchant(session, scope, body)),
    )


@router.get("/merchants", response_model=Page[MerchantOut])
def list_merchants(
    session: DbSession, scope: CallerScope, page: Paging, industry: Industry | None = None
) -> Page[MerchantOut]:
    found = service.list_merchants(session, scope, page, industry=industry)
    return to_page(found, MerchantOut.model_validate)


@router.get("/merchants/{merchant_id}", response_model=MerchantOut)
def get_merchant(merchant_id: int, session: DbSession, scope: CallerScope) -> MerchantOut:
    return MerchantOut.model_validate(service.get_merchant(session, scope, merchant_id))


@router.post("/products", status_code=201, response_model=ProductOut)
def create_product(
    body: ProductIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/products", body),
        lambda: ProductOut.model_validate(service.create_product(session, scope, body)),
    )


@router.get("/products", response_model=Page[ProductOut])
def list_products(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    merchant_id: int | None = None,
    industry: Industry | None = None,
    sku: str | None = None,
) -> Page[ProductOut]:
    found = service.list_products(session, scope, page, merchant_id, industry, sku)
    return to_page(found, ProductOut.model_validate)


@router.get("/products/{product_id}", response_model=ProductOut)
def get_product(product_id: int, session: DbSession, scope: CallerScope) -> ProductOut:
    return ProductOut.model_validate(service.get_product(session, scope, product_id))


@router.post("/products/{product_id}/prices", status_code=201, response_model=PriceChangeOut)
def change_price(
    product_id: int,
    body: PriceChangeIn,
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/products/{product_id}/prices", body),
        lambda: PriceChangeOut.model_validate(
            service.change_price(session, scope, product_id, body)
        ),
    )


@router.get("/products/{product_id}/prices", response_model=Page[PriceChangeOut])
def price_history(
    product_id: int, session: DbSession, scope: CallerScope, page: Paging
) -> Page[PriceChangeOut]:
    found = service.price_history(session, scope, product_id, page)
    return to_page(found, PriceChangeOut.model_validate)
