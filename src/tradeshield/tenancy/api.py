"""Routes for the caller's own tenant and for issuing API keys."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.catalog import service as catalog
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.tenancy import service
from tradeshield.tenancy.schemas import ApiKeyIn, ApiKeyOut, TenantOut, WhoAmI

router = APIRouter(tags=["tenancy"])


@router.get("/me", response_model=WhoAmI)
def whoami(session: DbSession, scope: CallerScope) -> WhoAmI:
    tenant = TenantOut.model_validate(service.get_tenant(session, scope.tenant_id))
    return WhoAmI(tenant=tenant, role=scope.role, merchant_id=scope.merchant_id)


@router.post("/api-keys", status_code=201, response_model=ApiKeyOut)
def issue_key(
    body: ApiKeyIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """A new key for this tenant (operators only). The secret is shown once."""

    def produce() -> ApiKeyOut:
        scope.require_operator()
        if body.merchant_id is not None:
            catalog.get_merchant(session, scope, body.merchant_id)
        row, secret = service.issue_api_key(
            session, scope.tenant_id, body.role, body.merchant_id, body.name
        )
        return ApiKeyOut(
            id=row.id,
            prefix=row.prefix,
            role=row.role,
            merchant_id=row.merchant_id,
            name=row.name,
            created_at=row.created_at,
            key=secret,
        )

    return respond_once(session, scope, key, fingerprint("/api-keys", body), produce)
