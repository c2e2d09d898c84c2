"""The demo warehouse's checks of arrived returns are what the returns service would store,
and they sit on the evidence chain."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tradeshield.demo.service import generate
from tradeshield.evidence.blobs import LocalBlobStore
from tradeshield.returns import service as returns
from tradeshield.returns.models import ReturnVerification, UnitEvidence
from tradeshield.returns.schemas import VerifyIn
from tradeshield.tenancy.scope import Scope


def test_each_arrived_return_is_checked_as_the_service_checks_it(
    engine: Engine, tmp_path: Path
) -> None:
    summary = generate(engine, 4_000, 3)
    scope = Scope.system(summary.tenant_id)
    store = LocalBlobStore(tmp_path / "blobs")
    with Session(engine) as session:
        stored = list(session.scalars(select(ReturnVerification).order_by(ReturnVerification.id)))
        assert len(stored) == summary.rows["return_verifications"] > 20
        assert {c.result.value for c in stored} >= {"match", "mismatch"}
        assert not any(c.confirmed for c in stored)
        for check in stored:
            with session.begin_nested() as nested:
                again = returns.verify_return(session, scope, VerifyIn(
                    order_id=check.order_id, return_shipment_id=check.return_shipment_id,
                ), store)  # fmt: skip
                seen = (again.result, again.liable_party, again.checks, again.clause_ids)
                nested.rollback()
            assert seen == (check.result, check.liable_party, check.checks, check.clause_ids)
            arrived = session.get(UnitEvidence, check.returned_evidence_id)
            assert arrived is not None
            assert check.created_at == arrived.recorded_at
        report = returns.verify_chain(session, summary.tenant_id, store)
        assert report.intact, report
