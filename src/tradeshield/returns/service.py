"""Use-cases of the returns module, for the API, the CLI, the console and other modules.

The work lives in ``recording`` (unit evidence, the chain), ``checking`` (return checks,
liability, courier claims, packages), ``limits`` (purchase limits and appeals) and
``sharing`` (the consortium list); this is the one door other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.errors import DomainError
from tradeshield.evidence import service as evidence
from tradeshield.evidence.blobs import BlobStore
from tradeshield.returns.chain import Anchor
from tradeshield.returns.checking import (
    claims_of,
    get_verification,
    package_bytes,
    verifications_of,
    verify_return,
)
from tradeshield.returns.evaluation import Evaluation, evaluate
from tradeshield.returns.label_ocr import LabelReading, read_label
from tradeshield.returns.limits import (
    appeals_of,
    check_purchase,
    confirm,
    decide_appeal,
    file_appeal,
    restrictions_of,
)
from tradeshield.returns.models import ReturnVerification, UnitEvidence
from tradeshield.returns.recording import PublishedHead, publish_head, record_unit, verify_chain
from tradeshield.returns.sharing import (
    ConsortiumHits,
    TooManyRequests,
    entries_of,
    publish,
    query,
)
from tradeshield.returns.warehouse_csv import read_rows
from tradeshield.tenancy.scope import Scope

__all__ = [
    "Anchor",
    "ConsortiumHits",
    "Evaluation",
    "LabelReading",
    "PublishedHead",
    "TooManyRequests",
    "appeals_of",
    "check_purchase",
    "claims_of",
    "confirm",
    "decide_appeal",
    "default_store",
    "entries_of",
    "evaluate",
    "file_appeal",
    "get_verification",
    "import_csv",
    "latest_verification_of_order",
    "package_bytes",
    "publish",
    "publish_head",
    "query",
    "read_label",
    "record_unit",
    "restrictions_of",
    "units_of_order",
    "verifications_of",
    "verify_chain",
    "verify_return",
]


def default_store() -> BlobStore:
    return evidence.default_blob_store()


def units_of_order(session: Session, scope: Scope, order_id: int) -> list[UnitEvidence]:
    query_units = select(UnitEvidence).where(
        UnitEvidence.tenant_id == scope.tenant_id, UnitEvidence.order_id == order_id
    )
    shop = scope.shop_filter(None)
    if shop is not None:
        query_units = query_units.where(UnitEvidence.merchant_id == shop)
    return list(session.scalars(query_units.order_by(UnitEvidence.id)))


def latest_verification_of_order(
    session: Session, scope: Scope, order_id: int
) -> ReturnVerification | None:
    """The newest return check of an order (the one a ruling on its case reads), if any."""
    query_checks = select(ReturnVerification).where(
        ReturnVerification.tenant_id == scope.tenant_id, ReturnVerification.order_id == order_id
    )
    shop = scope.shop_filter(None)
    if shop is not None:
        query_checks = query_checks.where(ReturnVerification.merchant_id == shop)
    return session.scalars(query_checks.order_by(ReturnVerification.id.desc()).limit(1)).first()


@dataclass(slots=True)
class ImportReport:
    stored: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_csv(
    session: Session, scope: Scope, text: str, store: BlobStore, all_or_nothing: bool
) -> ImportReport:
    """Record each row in its own savepoint; a bad row is reported with its line number.
    With ``all_or_nothing`` one bad row stores nothing (the caller rolls back)."""
    report = ImportReport()
    for row in read_rows(text):
        if row.unit is None:
            report.errors.append((row.line, row.error or "invalid row"))
            continue
        try:
            with session.begin_nested():
                record_unit(session, scope, row.unit, store)
            report.stored += 1
        except DomainError as exc:
            report.errors.append((row.line, exc.detail))
    if all_or_nothing and report.errors:
        report.stored = 0
    return report
