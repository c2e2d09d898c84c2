"""The audit log is append-only at the database level."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from tests.factories import make_tenant

from tradeshield.audit import service as audit
from tradeshield.audit.models import AuditEntry


def test_updating_or_deleting_an_entry_fails(session: Session) -> None:
    keys = make_tenant(session)
    entry = audit.record(session, keys.scope, "case", 1, "opened", {"note": "x"})
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(action="y"))
    session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))
    session.rollback()
    assert audit.history(session, keys.scope)[0].action == "opened"
