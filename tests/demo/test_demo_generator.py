"""The synthetic marketplace against a real SQLite file: repeatable, complete, consistent,
private, and with abuse that shows in behaviour and is labelled only in demo_labels."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tradeshield.cases.kinds import CaseState
from tradeshield.cases.lifecycle import OPEN_STATES, RETURN_KINDS
from tradeshield.cases.models import Case, Ruling
from tradeshield.cases.policy import load_policy
from tradeshield.catalog.industries import Industry
from tradeshield.db import make_engine, session_factory
from tradeshield.demo.models import AbusePattern, DemoLabel
from tradeshield.demo.service import DemoSummary, generate
from tradeshield.migrate import upgrade
from tradeshield.orders.models import Order
from tradeshield.reviews.models import Review
from tradeshield.settings import get_settings
from tradeshield.shipments.models import ScanEvent, Shipment

ORDERS = 3000
SECRET = "demo-test-secret"
# Every table the generator fills, with the columns that identify a row's content.
CONTENT = {
    "merchants": "id, external_ref, name, industry, created_at",
    "products": "id, merchant_id, sku, title_zh, title_en, attributes, price_minor, updated_at",
    "price_changes": "id, product_id, price_minor, changed_at, source",
    "buyer_accounts": "id, external_ref, registered_at",
    "buyer_identifiers": "id, buyer_id, kind, keyed_hash, first_seen_at",
    "orders": "id, merchant_id, buyer_id, external_ref, placed_at, paid_at, total_minor",
    "order_lines": "id, order_id, product_id, quantity, unit_price_minor, promo",
    "shipments": "id, order_id, case_id, carrier, tracking_number, status, delivered_at, "
    "measured_weight_grams",
    "scan_events": "id, shipment_id, occurred_at, kind, location, weight_grams, note",
    "cases": "id, order_id, kind, reason_code, claimed_amount_minor, state, deadline_at",
    "rulings": "id, case_id, outcome, amount_minor, reasons, created_at",
    "reviews": "id, order_id, rating, language, text, photos, created_at",
    "demo_labels": "entity_type, entity_id, pattern, ring_key, details",
}


def _make(folder: Path, seed: int) -> tuple[Engine, DemoSummary]:
    engine = make_engine(f"sqlite:///{folder / f'demo-{seed}.db'}")
    upgrade(engine)
    return engine, generate(engine, ORDERS, seed)


@pytest.fixture(scope="module")
def made(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Engine, DemoSummary]]]:
    """Three marketplaces: seed 7 twice and seed 8 once, each in its own file."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRADESHIELD_IDENTIFIER_SECRET", SECRET)
        patch.setenv("TRADESHIELD_DATA_DIR", str(folder / "data"))
        get_settings.cache_clear()
        runs = {
            "first": _make(folder / "a", 7),
            "again": _make(folder / "b", 7),
            "other": _make(folder / "c", 8),
        }
        get_settings.cache_clear()
    yield runs
    for engine, _ in runs.values():
        engine.dispose()


@pytest.fixture(scope="module")
def db(made: dict[str, tuple[Engine, DemoSummary]]) -> Iterator[sqlite3.Connection]:
    """A plain connection to the first marketplace, for SQL the ORM does not need to see."""
    engine, _ = made["first"]
    database = engine.url.database
    assert database is not None
    connection = sqlite3.connect(database)
    yield connection
    connection.close()


def _digest(engine: Engine) -> dict[str, str]:
    database = engine.url.database
    assert database is not None
    with sqlite3.connect(database) as connection:
        return {
            table: hashlib.sha256(
                repr(
                    connection.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
                ).encode()
            ).hexdigest()
            for table, columns in CONTENT.items()
        }


def _labelled(db: sqlite3.Connection, entity_type: str, pattern: AbusePattern) -> set[int]:
    rows = db.execute(
        "SELECT entity_id FROM demo_labels WHERE entity_type = ? AND pattern = ?",
        (entity_type, pattern.value),
    )
    return {entity_id for (entity_id,) in rows}


def test_same_seed_and_order_count_give_identical_rows(
    made: dict[str, tuple[Engine, DemoSummary]],
) -> None:
    first, again = _digest(made["first"][0]), _digest(made["again"][0])
    assert first == again
    assert made["first"][1].rows == made["again"][1].rows
    assert made["first"][1].operator_key != made["again"][1].operator_key


def test_another_seed_gives_another_marketplace(
    made: dict[str, tuple[Engine, DemoSummary]],
) -> None:
    first, other = _digest(made["first"][0]), _digest(made["other"][0])
    assert all(
        first[table] != other[table] for table in ("orders", "cases", "shipments", "reviews")
    )


def test_summary_counts_match_the_rows_in_the_database(
    made: dict[str, tuple[Engine, DemoSummary]], db: sqlite3.Connection
) -> None:
    summary = made["first"][1]
    assert summary.orders == ORDERS
    for table, count in summary.rows.items():
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (count,), table
    assert summary.operator_key.startswith("ts_")


def test_every_industry_has_shops_products_and_orders(db: sqlite3.Connection) -> None:
    query = """SELECT m.industry, COUNT(DISTINCT m.id), COUNT(DISTINCT p.id), COUNT(DISTINCT o.id)
               FROM merchants m JOIN products p ON p.merchant_id = m.id
               LEFT JOIN orders o ON o.merchant_id = m.id GROUP BY m.industry"""
    found = {industry: counts for industry, *counts in db.execute(query)}
    assert set(found) == {industry.value for industry in Industry}
    assert all(
        shops >= 3 and products >= 12 and orders > 0 for shops, products, orders in found.values()
    )


def test_foreign_keys_and_file_are_intact(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_titles_are_bilingual_and_attributes_fit_the_industry(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT industry, title_zh, title_en, attributes, listing_images FROM products"
    ).fetchall()
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for _, zh, _, _, _ in rows)
    assert all(re.search(r"[A-Za-z]", en) for _, _, en, _, _ in rows)
    attributes = {industry: json.loads(attrs) for industry, _, _, attrs, _ in rows}
    assert {"origin", "shelf_life_days", "cold_chain"} <= set(attributes["fresh_food"])
    assert {"battery_wh", "ccc_certificate"} <= set(attributes["e_bikes"])
    assert {"size", "material"} <= set(attributes["apparel"])
    assert all(json.loads(images)[0].startswith("sha256:") for *_, images in rows)


@pytest.mark.parametrize(
    ("entity_type", "pattern", "table", "low", "high"),
    [
        ("buyer", AbusePattern.REFUND_ONLY_ABUSER, "buyer_accounts", 0.001, 0.03),
        ("buyer", AbusePattern.RETURN_SWAPPER, "buyer_accounts", 0.0005, 0.03),
        ("buyer", AbusePattern.FAKE_RETURN_SENDER, "buyer_accounts", 0.0005, 0.03),
        ("buyer", AbusePattern.RING_MEMBER, "buyer_accounts", 0.002, 0.05),
        ("buyer", AbusePattern.HONEST_BAD_LUCK, "buyer_accounts", 0.001, 0.05),
        ("shipment", AbusePattern.STALLED_PARCEL, "shipments", 0.0005, 0.02),
        ("product", AbusePattern.MIS_SET_PRICE, "products", 0.0005, 0.02),
    ],
)
def test_each_abuse_pattern_is_labelled_at_a_plausible_rate(
    db: sqlite3.Connection,
    entity_type: str,
    pattern: AbusePattern,
    table: str,
    low: float,
    high: float,
) -> None:
    population = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    rate = len(_labelled(db, entity_type, pattern)) / population
    assert low <= rate <= high


def test_after_sales_cases_come_from_three_to_eight_per_cent_of_orders(
    db: sqlite3.Connection,
) -> None:
    cases, orders = db.execute(
        "SELECT (SELECT COUNT(*) FROM cases), COUNT(*) FROM orders"
    ).fetchone()
    assert 0.03 <= cases / orders <= 0.08


def test_no_generated_table_has_a_column_that_names_abuse(db: sqlite3.Connection) -> None:
    for table in CONTENT:
        if table == "demo_labels":
            continue
        names = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        assert not {name for name in names if re.search("abus|fraud|label|ring|swap|fake", name)}, (
            table
        )


def test_ring_members_share_hashed_identifiers_and_claim_together(db: sqlite3.Connection) -> None:
    members: dict[str, set[int]] = defaultdict(set)
    query = (
        "SELECT ring_key, entity_id FROM demo_labels WHERE pattern = ? AND entity_type = 'buyer'"
    )
    for ring_key, buyer in db.execute(query, (AbusePattern.RING_MEMBER.value,)):
        members[ring_key].add(buyer)
    assert len(members) >= 2
    for ring_key, buyers in members.items():
        marks = ",".join(map(str, buyers))
        shared = db.execute(
            f"""SELECT buyer_id, COUNT(DISTINCT kind) FROM buyer_identifiers
                WHERE buyer_id IN ({marks}) AND keyed_hash IN (
                    SELECT keyed_hash FROM buyer_identifiers WHERE buyer_id IN ({marks})
                    GROUP BY keyed_hash HAVING COUNT(DISTINCT buyer_id) > 1)
                GROUP BY buyer_id"""
        ).fetchall()
        assert len(shared) == len(buyers), ring_key
        assert max(kinds for _, kinds in shared) >= 2, ring_key
        claims = db.execute(
            "SELECT COUNT(*) FROM demo_labels WHERE entity_type = 'case' AND ring_key = ?",
            (ring_key,),
        ).fetchone()[0]
        assert claims >= 2, ring_key


def test_identifiers_are_stored_only_as_keyed_hashes(db: sqlite3.Connection) -> None:
    hashes = [value for (value,) in db.execute("SELECT keyed_hash FROM buyer_identifiers")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in hashes)
    phones = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT buyer_id) FROM buyer_identifiers WHERE kind = 'phone'"
    ).fetchone()
    assert phones[0] == phones[1] == db.execute("SELECT COUNT(*) FROM buyer_accounts").fetchone()[0]
    mobile = re.compile(
        r"\+86|(?<![0-9A-Za-z])1[3-9]\d{9}(?!\d)|alipay:|wechatpay:|unionpay:|android-|ios-"
    )
    for table in CONTENT:
        for row in db.execute(f"SELECT * FROM {table}"):
            texts = [
                value
                for value in row
                if isinstance(value, str) and not re.fullmatch(r"[0-9a-f]{64}", value)
            ]
            leaked = [value for value in texts if mobile.search(value) and not value.isalnum()]
            assert not leaked, (table, leaked)


def test_refund_only_abusers_claim_refund_only_far_more_often_than_others(
    db: sqlite3.Connection,
) -> None:
    abusers = _labelled(db, "buyer", AbusePattern.REFUND_ONLY_ABUSER)
    rows = db.execute(
        """SELECT o.buyer_id, COUNT(DISTINCT o.id), COUNT(DISTINCT c.id),
                  AVG(CAST(c.claimed_amount_minor AS REAL) / o.total_minor)
           FROM orders o LEFT JOIN cases c ON c.order_id = o.id AND c.kind = 'refund_only'
           GROUP BY o.buyer_id"""
    ).fetchall()

    def rate(group: list[tuple[int, int, int, float | None]]) -> float:
        return sum(claims for _, _, claims, _ in group) / sum(orders for _, orders, _, _ in group)

    theirs = [row for row in rows if row[0] in abusers]
    others = [row for row in rows if row[0] not in abusers]
    assert rate(theirs) > 5 * rate(others)
    assert rate(theirs) > 0.25
    shares = [share for *_, share in theirs if share is not None]
    assert sum(shares) / len(shares) > 0.9


def test_returned_parcels_weigh_what_the_label_says(db: sqlite3.Connection) -> None:
    query = """SELECT c.id, r.measured_weight_grams, r.declared_weight_grams,
                      o.measured_weight_grams
               FROM cases c JOIN shipments r ON r.case_id = c.id AND r.direction = 'return'
               JOIN shipments o ON o.order_id = c.order_id AND o.direction = 'outbound'"""
    returns = {case: (back, declared, out) for case, back, declared, out in db.execute(query)}
    swapped = _labelled(db, "case", AbusePattern.RETURN_SWAPPER)
    faked = _labelled(db, "case", AbusePattern.FAKE_RETURN_SENDER)
    assert swapped
    assert faked
    assert swapped | faked <= set(returns)
    for case, (back, declared, out) in returns.items():
        if case in faked:
            assert back < 0.3 * declared
        elif case in swapped:
            assert abs(back - out) > 0.15 * out
        else:
            assert abs(back - out) <= 0.15 * out


def test_stalled_parcels_go_quiet_and_are_never_delivered(db: sqlite3.Connection) -> None:
    stalled = _labelled(db, "shipment", AbusePattern.STALLED_PARCEL)
    assert stalled
    marks = ",".join(map(str, stalled))
    statuses = {s for (s,) in db.execute(f"SELECT status FROM shipments WHERE id IN ({marks})")}
    assert statuses <= {"in_transit", "lost"}
    kinds = {
        k
        for (k,) in db.execute(
            f"SELECT DISTINCT kind FROM scan_events WHERE shipment_id IN ({marks})"
        )
    }
    assert not kinds & {"delivered", "out_for_delivery"}


def test_mis_set_prices_are_ten_times_off_in_the_price_history(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT entity_id, details FROM demo_labels WHERE pattern = 'mis_set_price'"
    ).fetchall()
    assert rows
    for product, text in rows:
        details = json.loads(text)
        price = db.execute(
            "SELECT price_minor FROM price_changes WHERE id = ? AND product_id = ?",
            (details["price_change_id"], product),
        ).fetchone()[0]
        assert price == details["set_minor"]
        ratio = details["set_minor"] / details["intended_minor"]
        assert ratio == 10 or 0.09 <= ratio <= 0.1


def test_honest_bad_luck_buyers_have_exactly_one_case(db: sqlite3.Connection) -> None:
    unlucky = _labelled(db, "buyer", AbusePattern.HONEST_BAD_LUCK)
    assert unlucky
    for buyer in unlucky:
        assert db.execute("SELECT COUNT(*) FROM cases WHERE buyer_id = ?", (buyer,)).fetchone() == (
            1,
        )


def _session(made: dict[str, tuple[Engine, DemoSummary]]) -> Session:
    return session_factory(made["first"][0])()


def test_case_states_and_deadlines_follow_the_lifecycle_and_policy(
    made: dict[str, tuple[Engine, DemoSummary]],
) -> None:
    policy = load_policy()
    with _session(made) as session:
        cases = list(session.scalars(select(Case)))
        ruled = set(session.scalars(select(Ruling.case_id)))
        returned = set(
            session.scalars(select(Shipment.case_id).where(Shipment.case_id.is_not(None)))
        )
    assert {case.state for case in cases} >= {
        CaseState.CLOSED,
        CaseState.RESOLVED,
        CaseState.AWAITING_MERCHANT,
    }
    for case in cases:
        assert case.policy_version == policy.version
        assert case.opened_at <= case.updated_at
        if case.state in OPEN_STATES or case.state is CaseState.RESOLVED:
            assert case.deadline_at == policy.deadline_after(case.state, case.updated_at)
            assert case.closed_at is None
        else:
            assert case.deadline_at is None
            assert case.closed_at == case.updated_at
        if case.state is CaseState.RESOLVED:
            assert case.id in ruled
        if case.state is CaseState.RETURN_IN_TRANSIT:
            assert case.kind in RETURN_KINDS
            assert case.id in returned
        assert case.claimed_amount_minor > 0


def test_timestamps_read_back_through_the_models_as_utc_aware(
    made: dict[str, tuple[Engine, DemoSummary]],
) -> None:
    with _session(made) as session:
        order = session.scalars(select(Order).limit(1)).one()
        shipment = session.scalars(
            select(Shipment).where(Shipment.delivered_at.is_not(None)).limit(1)
        ).one()
        scan = session.scalars(select(ScanEvent).limit(1)).one()
        review = session.scalars(select(Review).limit(1)).one()
        case = session.scalars(select(Case).where(Case.deadline_at.is_not(None)).limit(1)).one()
        label = session.scalars(select(DemoLabel).limit(1)).one()
        late = session.scalar(select(func.max(Order.placed_at)))
    moments = [
        order.placed_at,
        shipment.delivered_at,
        scan.occurred_at,
        review.created_at,
        case.deadline_at,
    ]
    for moment in moments:
        assert moment is not None
        assert moment.utcoffset() == dt.timedelta(0)
    assert isinstance(label.details, dict)
    assert late is not None
    assert late < dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_one_audit_entry_records_each_run(db: sqlite3.Connection) -> None:
    entries = db.execute("SELECT entity_type, action, details FROM audit_entries").fetchall()
    assert len(entries) == 1
    entity_type, action, details = entries[0]
    assert (entity_type, action) == ("tenant", "demo_generated")
    assert json.loads(details)["seed"] == 7
    assert json.loads(details)["orders"] == ORDERS
