"""Every case of a generated demo marketplace gets a ruling that cites a clause."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import DecidedBy
from tradeshield.db import make_engine, session_factory
from tradeshield.demo.service import generate
from tradeshield.migrate import upgrade
from tradeshield.rules import service as rules
from tradeshield.rules.adjudication import adjudicate, adjudicate_many
from tradeshield.rules.facts import CaseFacts
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


def test_every_stored_demo_ruling_cites_clauses_the_packs_hold(
    demo: tuple[Session, Scope],
) -> None:
    session, scope = demo
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    stored = [r for case_id in rules._cases_since(session, scope, since)
              for r in cases.rulings_of(session, scope, case_id)]  # fmt: skip
    assert len(stored) >= 10
    known = {c for p in rules.library().active.values() for c in p.clauses}
    for ruling in stored:
        assert ruling.clause_ids, f"ruling {ruling.id} ({ruling.decided_by}) cites nothing"
        assert set(ruling.clause_ids) <= known
        assert ruling.versions["rule_packs"]
    assert {r.decided_by for r in stored} >= {DecidedBy.AGREEMENT, DecidedBy.PLATFORM}


def test_stored_settlements_replay_to_the_same_ruling_from_their_inputs(
    demo: tuple[Session, Scope],
) -> None:
    """An agreement or a missed deadline is stored as the packs rule it, so its stored
    facts and versions give the same outcome, amount and clauses again."""
    session, scope = demo
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    settled = [r for case_id in rules._cases_since(session, scope, since)
               for r in cases.rulings_of(session, scope, case_id)
               if r.decided_by in (DecidedBy.AGREEMENT, DecidedBy.DEADLINE)]  # fmt: skip
    assert settled
    for ruling in settled:
        facts = CaseFacts.model_validate(ruling.inputs["facts"])
        again = adjudicate(rules.library(), facts, ruling.versions["rule_packs"])
        assert (again.outcome, again.liable_party) == (ruling.outcome, ruling.liable_party)
        assert again.amount_minor == ruling.amount_minor
        assert again.clause_ids == ruling.clause_ids
