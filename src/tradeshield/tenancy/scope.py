"""Who is asking: the tenant, the role and (for merchant keys) the one shop they may see."""

from __future__ import annotations

from dataclasses import dataclass

from tradeshield.errors import Forbidden
from tradeshield.tenancy.kinds import Role


@dataclass(frozen=True, slots=True)
class Scope:
    tenant_id: int
    role: Role
    merchant_id: int | None = None
    actor: str = "system"

    @classmethod
    def system(cls, tenant_id: int) -> Scope:
        return cls(tenant_id=tenant_id, role=Role.OPERATOR, actor="system")

    def require_write(self) -> None:
        if self.role is Role.READ_ONLY:
            raise Forbidden("this API key is read-only")

    def require_operator(self) -> None:
        if self.role is not Role.OPERATOR:
            raise Forbidden("only a platform operator key may do this")

    def check_row(self, tenant_id: int, merchant_id: int | None = None) -> None:
        """Refuse a row from another tenant, or from another shop for a merchant key."""
        if tenant_id != self.tenant_id:
            raise Forbidden("this object belongs to another tenant")
        if self.merchant_id is not None and merchant_id != self.merchant_id:
            raise Forbidden("this object belongs to another shop")

    def shop_filter(self, requested_merchant_id: int | None) -> int | None:
        """The merchant id a list must be narrowed to, refusing a request for another shop."""
        if self.merchant_id is None:
            return requested_merchant_id
        if requested_merchant_id not in (None, self.merchant_id):
            raise Forbidden("a merchant key sees only its own shop")
        return self.merchant_id
