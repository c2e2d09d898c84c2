"""Every case of a generated demo marketplace gets a ruling that cites a clause."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tradeshield.db import make_engine, session_factory
from tradeshield.demo.service import generate
from tradeshield.migrate import upgrade
from tradeshield.rules import service as rules
from tradeshield.rules.adjudication import adjudicate_many
from tradeshield.settings import get_settings
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope
from tradeshield.tenancy.service import find_tenant

ORDERS = 500


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, Scope]]:
    folder = tmp_path_factory.mktemp("rules-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRADESHIELD_DATA_DIR", str(folder / "data"))
        get_settings.cache_clear()
        engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
        upgrade(engine)
        generate(engine, ORDERS, seed=11)
        with session_factory(engine)() as session:
            tenant = find_tenant(session, "demo")
            yield session, Scope(tenant_id=tenant.id, role=Role.OPERATOR, actor="test")
        get_settings.cache_clear()


def test_every_demo_case_gets_a_ruling_citing_a_clause(demo: tuple[Session, Scope]) -> None:
    session, scope = demo
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    case_ids = list(rules._cases_since(session, scope, since))
    assert len(case_ids) >= 10
    facts = [rules.gather_facts(session, scope, case_id) for case_id in case_ids]
    rulings = adjudicate_many(rules.library(), facts)
    pairs = zip(facts, rulings, strict=True)
    uncited = [(f.industry, f.reason, r.reasons[0]["en"]) for f, r in pairs if not r.clause_ids]
    assert uncited == []
    assert len(Counter(r.decided_by_pack for r in rulings)) > 5


def test_replay_of_a_draft_version_on_the_demo_counts_what_changes(
    demo: tuple[Session, Scope], tmp_path: Path
) -> None:
    session, scope = demo
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    same = rules.replay(session, scope, "fresh_food", "2026.1", since)
    assert same.cases > 0
    assert same.changed_outcomes == 0
    assert same.money_delta_minor == 0
    draft = rules.replay(session, scope, "fresh_food", "2027.1", since)
    assert draft.cases == same.cases
    changed_elsewhere = {k: v.changed for k, v in draft.by_industry.items() if k != "fresh_food"}
    assert set(changed_elsewhere.values()) <= {0}
