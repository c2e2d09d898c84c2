"""Return checks that found a buyer-liable mismatch, for other modules' batch work
(integrity's features). The caller has checked the scope; these take the tenant id and
return plain values, never ORM objects."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session

from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.bulk_reads import dialect_of, epoch_seconds
from tradeshield.returns.kinds import LiableParty, VerificationResult
from tradeshield.returns.models import ReturnVerification

MismatchRow = tuple[int, int, int, bool]
MISMATCH_FRAME: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "order_id": pl.Int64(),
    "checked_s": pl.Int64(),
    "confirmed": pl.Boolean(),
}


def _mismatch_query(session: Session, tenant: ColumnElement[bool]) -> Select[MismatchRow]:
    return select(
        ReturnVerification.buyer_id,
        ReturnVerification.order_id,
        epoch_seconds(ReturnVerification.created_at, dialect_of(session)),
        ReturnVerification.confirmed,
    ).where(
        tenant,
        ReturnVerification.result == VerificationResult.MISMATCH,
        ReturnVerification.liable_party == LiableParty.BUYER,
    )


def mismatch_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every return check of the tenant that found a mismatch the buyer answers for:
    ``MISMATCH_FRAME`` columns (check time in epoch seconds; ``confirmed`` by the merchant)."""
    tenant = whole_tenant(session, ReturnVerification.tenant_id, tenant_id)
    return FrameQuery(_mismatch_query(session, tenant), MISMATCH_FRAME)


def mismatch_rows(session: Session, tenant_id: int, buyer_id: int) -> Sequence[Row[MismatchRow]]:
    """One buyer's ``mismatch_frame_query`` rows as tuples, in the session's transaction."""
    tenant = ReturnVerification.tenant_id == tenant_id
    query = _mismatch_query(session, tenant).where(ReturnVerification.buyer_id == buyer_id)
    return session.connection().execute(query).all()
