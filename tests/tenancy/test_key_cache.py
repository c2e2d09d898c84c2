"""A process remembers a checked key's scope for a few seconds, never a wrong key."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.factories import make_tenant

from tradeshield.db import session_factory
from tradeshield.errors import Unauthorized
from tradeshield.tenancy import key_cache
from tradeshield.tenancy import service as tenancy

Counted = tuple[list[int], Callable[[], Session]]


@pytest.fixture
def counted_sessions(engine: Engine) -> Iterator[Counted]:
    key_cache.scopes.clear()
    opened: list[int] = []
    make = session_factory(engine)

    def make_session() -> Session:
        opened.append(1)
        return make()

    yield opened, make_session
    key_cache.scopes.clear()


def _operator_key(engine: Engine) -> str:
    with session_factory(engine)() as session, session.begin():
        return make_tenant(session).operator_key


def test_a_checked_key_is_answered_from_memory_within_its_time(
    engine: Engine, counted_sessions: Counted
) -> None:
    opened, make_session = counted_sessions
    presented = _operator_key(engine)
    first = tenancy.authenticate_cached(make_session, presented, 5.0)
    second = tenancy.authenticate_cached(make_session, presented, 5.0)
    assert first == second
    assert len(opened) == 1


def test_with_no_cache_time_every_call_asks_the_database(
    engine: Engine, counted_sessions: Counted
) -> None:
    opened, make_session = counted_sessions
    presented = _operator_key(engine)
    for _ in range(3):
        tenancy.authenticate_cached(make_session, presented, 0.0)
    assert len(opened) == 3


def test_a_wrong_secret_is_refused_every_time_and_never_remembered(
    engine: Engine, counted_sessions: Counted
) -> None:
    opened, make_session = counted_sessions
    wrong = _operator_key(engine)[:-4] + "xxxx"
    for _ in range(2):
        with pytest.raises(Unauthorized):
            tenancy.authenticate_cached(make_session, wrong, 5.0)
    assert len(opened) == 2
