"""People's identifiers are stored as keyed hashes only, and still link accounts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session
from tests.factories import make_buyer, make_tenant

from tradeshield.buyers import service as buyers
from tradeshield.buyers.identifiers import keyed_hash
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.pagination import PageRequest


def test_clear_phone_never_reaches_the_database(session: Session) -> None:
    keys = make_tenant(session)
    make_buyer(session, keys.scope, phone="+86 138 0013 8000")
    session.flush()
    dump = "\n".join(str(row) for row in session.execute(text("SELECT * FROM buyer_identifiers")))
    assert "13800138000" not in dump
    assert "138 0013" not in dump


def test_same_phone_written_differently_links_two_accounts(session: Session) -> None:
    keys = make_tenant(session)
    first = make_buyer(session, keys.scope, phone="+86 138-0013-8000")
    second = make_buyer(session, keys.scope, phone="0086 13800138000")
    make_buyer(session, keys.scope, phone="+86 139 0000 0000")
    found = buyers.list_buyers(
        session, keys.scope, PageRequest(limit=10), IdentifierKind.PHONE, "+8613800138000"
    )
    assert {b.id for b in found.items} == {first.id, second.id}


def test_hash_depends_on_the_installation_secret() -> None:
    one = keyed_hash(b"secret-one", IdentifierKind.DEVICE, "device-abc")
    two = keyed_hash(b"secret-two", IdentifierKind.DEVICE, "device-abc")
    assert one != two
    assert len(one) == 64


@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip()))
def test_address_hash_ignores_case_and_spacing(address: str) -> None:
    messy = "  " + address.upper().replace(" ", "   ") + " "
    secret = b"k"
    assert keyed_hash(secret, IdentifierKind.ADDRESS, address.casefold()) == keyed_hash(
        secret, IdentifierKind.ADDRESS, messy.casefold()
    )


def test_identifier_hashes_of_answers_only_for_an_account_of_the_tenant(session: Session) -> None:
    keys, other = make_tenant(session), make_tenant(session)
    with_phone = make_buyer(session, keys.scope, phone="+86 138 0013 8000")
    bare = make_buyer(session, keys.scope)
    session.flush()
    tenant = keys.scope.tenant_id
    assert buyers.identifier_hashes_of(session, tenant, with_phone.id) == [
        i.keyed_hash for i in with_phone.identifiers
    ]
    assert buyers.identifier_hashes_of(session, tenant, bare.id) == []
    assert buyers.identifier_hashes_of(session, other.scope.tenant_id, with_phone.id) is None
    assert buyers.identifier_hashes_of(session, tenant, 10**9) is None
