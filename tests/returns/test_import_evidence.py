"""`tradeshield returns import-evidence`: per-row errors with line numbers, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tests.factories import make_marketplace
from tradeshield.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


@pytest.fixture
def wired(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from tradeshield.settings import get_settings

    get_settings.cache_clear()
    return engine


def _csv(tmp_path: Path, order_id: int) -> Path:
    path = tmp_path / "warehouse.csv"
    path.write_text(
        "order_id,stage,serial,weight,accessories,seal_intact\n"
        f"{order_id},shipped,SN-AB12CD34EF,1.2 kg,charger;cable,\n"
        f"{order_id},returned,490154203237519,1.1 kg,charger,yes\n"
        f"{order_id},returned,SN-AB12CD34EF,3 stone,,\n"
        f"{order_id},unpacked,SN-AB12CD34EF,1 kg,,\n",
        encoding="utf-8",
    )
    return path


def test_bad_rows_are_named_by_line_and_good_rows_stored(
    wired: Engine, session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    market = make_marketplace(session)
    session.commit()
    slug = session.execute(text("SELECT slug FROM tenants")).scalar_one()
    code, out, err = _run(
        ["returns", "import-evidence", str(_csv(tmp_path, market.order.id)), "--tenant", slug],
        capsys,
    )
    assert code == 2, err
    assert "stored 1 unit record(s), 3 row(s) refused" in out
    assert "warehouse.csv:3: IMEI 490154203237519 fails its Luhn check digit" in err
    assert "warehouse.csv:4:" in err
    assert "unknown" in err
    assert "warehouse.csv:5: stage" in err
    session.rollback()
    assert session.execute(text("SELECT COUNT(*) FROM unit_evidence")).scalar() == 1
    code, out, _ = _run(["evidence", "verify", "--tenant", slug], capsys)
    assert code == 0
    assert "intact, 1 links" in out


def test_all_or_nothing_stores_nothing_when_a_row_is_bad(
    wired: Engine, session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    market = make_marketplace(session)
    session.commit()
    slug = session.execute(text("SELECT slug FROM tenants")).scalar_one()
    path = _csv(tmp_path, market.order.id)
    code, _, err = _run(
        ["returns", "import-evidence", str(path), "--tenant", slug, "--all-or-nothing"], capsys
    )
    assert code == 2
    assert "nothing stored" in err
    assert session.execute(text("SELECT COUNT(*) FROM unit_evidence")).scalar() == 0
    assert session.execute(text("SELECT COUNT(*) FROM evidence_chain")).scalar() == 0


def test_evidence_head_is_kept_in_a_file_and_later_verified_against(
    wired: Engine, session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    market = make_marketplace(session)
    session.commit()
    slug = session.execute(text("SELECT slug FROM tenants")).scalar_one()
    _run(["returns", "import-evidence", str(_csv(tmp_path, market.order.id)), "--tenant", slug],
         capsys)  # fmt: skip
    kept = tmp_path / "heads.jsonl"
    code, out, _ = _run(["evidence", "head", "--tenant", slug, "--append", str(kept)], capsys)
    assert code == 0
    assert '"seq":1' in out
    assert kept.read_text().count("\n") == 1
    code, out, _ = _run(["evidence", "verify", "--tenant", slug, "--anchors", str(kept)], capsys)
    assert code == 0, out
    assert "1 published head(s) match" in out
    session.rollback()  # its read snapshot predates the command's writes
    session.execute(text("DELETE FROM evidence_chain"))
    session.commit()
    code, _, err = _run(["evidence", "verify", "--tenant", slug, "--anchors", str(kept)], capsys)
    assert code == 1
    assert "BROKEN at link 1" in err
    assert "truncated" in err
    garbled = tmp_path / "garbled.jsonl"
    garbled.write_text('{"seq": 1, "entry_hash": "zz"}\n', encoding="utf-8")
    code, _, err = _run(["evidence", "verify", "--tenant", slug, "--anchors", str(garbled)],
                        capsys)  # fmt: skip
    assert code == 2
    assert "garbled.jsonl:1: entry_hash" in err
    assert len(err.strip().splitlines()) <= 3
