"""Kinds of tenants and the roles an API key can carry."""

from __future__ import annotations

import enum


class TenantKind(enum.StrEnum):
    MARKETPLACE = "marketplace"
    MERCHANT = "merchant"


class Role(enum.StrEnum):
    OPERATOR = "operator"  # the platform's own staff: everything in the tenant
    MERCHANT = "merchant"  # one shop's staff: only that shop's data
    READ_ONLY = "read_only"
