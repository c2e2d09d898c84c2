"""`tradeshield cases act|adjudicate`: the workflow from the command line, one line on error."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.factories import make_marketplace, open_case

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState, DecidedBy
from tradeshield.cli import main
from tradeshield.settings import get_settings
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.scope import Scope


@pytest.fixture
def on_test_database(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", engine.url.render_as_string(False))
    get_settings.cache_clear()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["cases", *args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def _market_case(session: Session) -> tuple[str, Scope, int]:
    market = make_marketplace(session)
    case_id = open_case(session, market).id
    session.commit()
    scope = market.keys.scope
    return tenancy.get_tenant(session, scope.tenant_id).slug, scope, case_id


@pytest.mark.usefixtures("on_test_database")
def test_offer_then_adjudicate_from_the_command_line(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant, _, case_id = _market_case(session)
    code, out, _ = _run(capsys, "act", str(case_id), "merchant_offer_partial", "--amount",
                        "20.00", "--tenant", tenant)  # fmt: skip
    assert code == 0
    assert json.loads(out)["state"] == CaseState.AWAITING_BUYER.value
    code, out, _ = _run(capsys, "adjudicate", str(case_id), "--tenant", tenant)
    assert code == 0
    answer = json.loads(out)
    assert answer["clause_ids"]
    session.rollback()  # a fresh read: the command wrote through its own connection
    ruling = cases.latest_ruling(session, case_id)
    assert ruling is not None
    assert ruling.id == answer["ruling_id"]
    assert ruling.decided_by is DecidedBy.RULES


@pytest.mark.usefixtures("on_test_database")
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("merchant_reject",), "reason"),
        (("merchant_offer_partial", "--amount", "lots"), "is not an amount"),
        (("buyer_accept_offer",), "not allowed while the case is awaiting_merchant"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    session: Session, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], says: str
) -> None:
    tenant, scope, case_id = _market_case(session)
    code, _, err = _run(capsys, "act", str(case_id), *args, "--tenant", tenant)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert says in err
    session.rollback()  # a fresh read: the command wrote through its own connection
    assert cases.get_case(session, scope, case_id).state is (CaseState.AWAITING_MERCHANT)
