"""Names shared by the import tests: the sample shop and the shapes of the file writers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tradeshield.tenancy.scope import Scope

TENANT_SLUG = "acme-market"
MERCHANT_REF = "M-ORCHARD"


@dataclass(frozen=True)
class Shop:
    scope: Scope
    merchant_id: int


WriteJsonl = Callable[[str, Sequence[dict[str, Any] | str]], Path]
WriteCsv = Callable[[str, Sequence[str], Sequence[Sequence[Any]]], Path]
OrderRefs = Callable[[Session], list[str]]
