"""Cases whose evidence a forensic report found forged, for other modules' batch work
(integrity's features). The caller has checked the scope; these take the tenant id and
return plain values, never ORM objects."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.forensics.fusion import Verdict
from tradeshield.forensics.models import ForensicReportRecord

FORGED_CASE_FRAME: dict[str, pl.DataType] = {"case_id": pl.Int64()}


def _forged_query(tenant: ColumnElement[bool]) -> Select[tuple[int | None]]:
    # "suspicious" is not enough to count against a buyer: only reports that found forgery.
    return (
        select(ForensicReportRecord.case_id)
        .where(
            tenant,
            ForensicReportRecord.case_id.is_not(None),
            ForensicReportRecord.verdict == Verdict.FORGED.value,
        )
        .distinct()
    )


def forged_case_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """The tenant's cases with at least one report that found forged evidence (``case_id``)."""
    tenant = whole_tenant(session, ForensicReportRecord.tenant_id, tenant_id)
    return FrameQuery(_forged_query(tenant), FORGED_CASE_FRAME)


def forged_case_ids(session: Session, tenant_id: int, case_ids: Collection[int]) -> set[int]:
    """Which of ``case_ids`` have a report that found forged evidence."""
    if not case_ids:
        return set()
    tenant = ForensicReportRecord.tenant_id == tenant_id
    query = _forged_query(tenant).where(ForensicReportRecord.case_id.in_(case_ids))
    found = session.connection().execute(query).scalars()
    return {int(case_id) for case_id in found if case_id is not None}
