"""How fast integrity features, rings and scores are for a whole market, and one account.

    python bench/bench_integrity.py --orders 10000000
    python bench/bench_integrity.py --from-db DIR/bench-demo.db|DATABASE_URL [--store]

1. Batch: a synthetic market of ``--orders`` orders (accounts, orders, order lines, claims
   with rulings, identifier hashes with shared ring and household pools) is generated with
   NumPy straight into Parquet files - the demo generator writes SQLite at about 10,000
   orders a second, too slow to make 10M for every run; return-check mismatches too.
   Timed: reading the Parquet files, features over 30/90/365-day windows, the
   identifier/behaviour graph with components and Leiden communities, ring columns and
   scores for every account.
2. Incremental, pure: features and score of one account from its events (median, p95).
3. Incremental, database: ``integrity.service.rescore_buyer`` on a demo market in SQLite
   (load the account's rows, features, score, write the score and actions).

``--from-db`` instead measures end to end from a demo database (a SQLite file from
``bench_demo.py --keep DIR``, or a database URL such as PostgreSQL's): the market read
through the owners' frame queries (``sources.load_market``), then features, rings and
scores (``assess_market``); with ``--store`` also writing the scores, rings and actions
(``store_assessment``, rolled back afterwards).

Prints ``name: value`` lines and exits 0.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
NOW = 1_793_491_200  # 2026-11-01


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def _nullable(values: np.ndarray, keep: np.ndarray) -> pl.Series:
    return pl.select(pl.when(pl.Series(keep)).then(pl.Series(values))).to_series()


def _hashes(values: np.ndarray, kind: str) -> pl.Series:
    # 64 hex characters like the real keyed hashes, made cheaply from integers.
    return pl.Series(values).cast(pl.String).str.pad_start(64, "0").alias(kind)


def generate_market(orders: int, seed: int, folder: Path) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    buyers = max(orders // 5, 10)
    products = max(orders // 50, 100)
    buyer_ids = np.arange(1, buyers + 1)
    registered = NOW - rng.integers(1, 4 * 365 * DAY, buyers)
    pl.DataFrame({"buyer_id": buyer_ids, "registered_s": registered}).write_parquet(
        folder / "accounts.parquet"
    )
    who = rng.zipf(1.6, orders) % buyers + 1  # a few busy accounts, many quiet ones
    placed = NOW - rng.integers(0, 180 * DAY, orders)
    placed = np.maximum(placed, registered[who - 1])
    total = np.round(rng.lognormal(9.5, 1.0, orders)).astype(np.int64)
    order_ids = np.arange(1, orders + 1)
    pl.DataFrame({
        "buyer_id": who, "order_id": order_ids, "placed_s": placed, "total_minor": total,
        "category": rng.integers(0, 60, orders).astype(np.int32),
    }).write_parquet(folder / "orders.parquet")  # fmt: skip
    lines = rng.integers(0, orders, orders + orders // 2)
    pl.DataFrame({
        "buyer_id": who[lines], "product_id": rng.zipf(1.3, len(lines)) % products + 1,
        "placed_s": placed[lines],
    }).write_parquet(folder / "purchases.parquet")  # fmt: skip
    claimed = np.flatnonzero(rng.random(orders) < 0.057)
    n = len(claimed)
    ruled = rng.random(n) < 0.8
    pl.DataFrame({
        "buyer_id": who[claimed], "order_id": order_ids[claimed],
        "opened_s": placed[claimed] + rng.integers(DAY, 12 * DAY, n),
        "is_refund_only": rng.random(n) < 0.45, "is_return": rng.random(n) < 0.4,
        "claimed_minor": (total[claimed] * rng.uniform(0.3, 1.0, n)).astype(np.int64),
        "order_total_minor": total[claimed],
        "delivered_s": _nullable(placed[claimed] + 3 * DAY, rng.random(n) < 0.9),
        "ruled_s": _nullable(placed[claimed] + 20 * DAY, ruled),
        "against_buyer": ruled & (rng.random(n) < 0.08),
        "forgery_suspected": rng.random(n) < 0.03,
    }, strict=False).write_parquet(folder / "claims.parquet")  # fmt: skip
    # Return checks: about one claim in twelve was a return the warehouse checked and found
    # not to match (the 1M demo: 3,623 buyer-liable of 17,717 checks, ~0.4% of orders).
    checked = claimed[rng.random(n) < 0.08]
    pl.DataFrame({
        "buyer_id": who[checked], "order_id": order_ids[checked],
        "checked_s": placed[checked] + 15 * DAY, "confirmed": rng.random(len(checked)) < 0.5,
    }).write_parquet(folder / "mismatches.parquet")  # fmt: skip
    rings = rng.integers(0, max(buyers // 200, 1), buyers)
    in_ring = rng.random(buyers) < 0.01
    household = rng.integers(0, buyers, buyers)
    shares_home = rng.random(buyers) < 0.05
    ring_hash = -rings - 1
    parts = [
        pl.DataFrame({"buyer_id": buyer_ids, "kind": "phone",
                      "keyed_hash": _hashes(buyer_ids, "x")}),
        pl.DataFrame({"buyer_id": buyer_ids, "kind": "device",
                      "keyed_hash": _hashes(np.where(in_ring, ring_hash, buyer_ids), "x")}),
        pl.DataFrame({"buyer_id": buyer_ids, "kind": "address",
                      "keyed_hash": _hashes(np.where(shares_home, household, buyer_ids), "x")}),
        pl.DataFrame({"buyer_id": buyer_ids, "kind": "payment_account",
                      "keyed_hash": _hashes(np.where(in_ring, ring_hash, buyer_ids + buyers),
                                            "x")}),
    ]  # fmt: skip
    pl.concat(parts).write_parquet(folder / "identifiers.parquet")
    return {"accounts": buyers, "orders": orders, "claims": n, "order_lines": len(lines)}


def batch(folder: Path) -> tuple[float, int, int]:
    from tradeshield.integrity.frames import MarketFrames
    from tradeshield.integrity.model import load_model
    from tradeshield.integrity.pipeline import assess_market
    from tradeshield.integrity.policy import load_policy

    model, policy = load_model(), load_policy()
    started = time.perf_counter()
    read = {name: pl.read_parquet(folder / f"{name}.parquet") for name in
            ("accounts", "orders", "claims", "identifiers", "purchases", "mismatches")}  # fmt: skip
    frames = MarketFrames(**read)
    assessment = assess_market(frames, frames.latest_event_s(), model, policy)
    elapsed = time.perf_counter() - started
    return elapsed, len(assessment.scores.buyer_ids), len(assessment.rings)


def incremental_pure(folder: Path, samples: int) -> list[float]:
    """Features and score of one account from its events, for accounts with claims."""
    from tradeshield.integrity.account_features import (
        AccountHistory,
        ClaimEvent,
        OrderEvent,
        account_features,
    )
    from tradeshield.integrity.model import load_model
    from tradeshield.integrity.policy import load_policy
    from tradeshield.integrity.ring_features import RING_COLUMNS
    from tradeshield.integrity.scoring import score_accounts

    model, policy = load_model(), load_policy()
    claims = pl.read_parquet(folder / "claims.parquet")
    chosen = claims["buyer_id"].unique().sample(samples, seed=1, with_replacement=True)
    orders = pl.read_parquet(folder / "orders.parquet").filter(
        pl.col("buyer_id").is_in(chosen.to_list())
    )
    accounts = pl.read_parquet(folder / "accounts.parquet")
    histories = []
    for buyer_id in chosen.to_list():
        history = AccountHistory(int(accounts["registered_s"][buyer_id - 1]))
        for row in orders.filter(pl.col("buyer_id") == buyer_id).iter_rows(named=True):
            history.orders.append(OrderEvent(row["placed_s"], row["total_minor"], row["category"]))
        for row in claims.filter(pl.col("buyer_id") == buyer_id).iter_rows(named=True):
            del row["buyer_id"], row["order_id"]
            history.claims.append(ClaimEvent(**row))
        histories.append((buyer_id, history))
    timings = []
    for buyer_id, history in histories:
        started = time.perf_counter()
        features = account_features(history, NOW, policy.time)
        features.update(dict.fromkeys(RING_COLUMNS, 0.0))
        frame = pl.DataFrame({"buyer_id": [buyer_id], **{k: [v] for k, v in features.items()}})
        score_accounts(frame, model, policy)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def incremental_database(orders: int, samples: int, folder: Path) -> list[float]:
    from tradeshield.db import make_engine, session_factory
    from tradeshield.demo.service import generate
    from tradeshield.integrity import service
    from tradeshield.migrate import upgrade
    from tradeshield.tenancy.kinds import Role
    from tradeshield.tenancy.scope import Scope

    engine = make_engine(f"sqlite:///{folder / 'bench-integrity.db'}")
    upgrade(engine)
    summary = generate(engine, orders, 7)
    scope = Scope(tenant_id=summary.tenant_id, role=Role.OPERATOR, actor="bench")
    make = session_factory(engine)
    with make.begin() as session:
        service.recompute(session, scope)
    rng = np.random.default_rng(3)
    timings = []
    with make() as session:
        for buyer_id in rng.integers(1, orders // 6, samples).tolist():
            started = time.perf_counter()
            service.rescore_buyer(session, scope, int(buyer_id))
            session.flush()
            timings.append((time.perf_counter() - started) * 1000)
        session.rollback()
    engine.dispose()
    return timings


def from_database(where: str, tenant_id: int, store: bool) -> None:
    """End to end from a demo database: read, featurise, find rings, score (and store)."""
    from tradeshield.db import make_engine, session_factory
    from tradeshield.integrity import service
    from tradeshield.integrity.model import load_model
    from tradeshield.integrity.pipeline import assess_market
    from tradeshield.integrity.policy import load_policy
    from tradeshield.integrity.sources import load_market
    from tradeshield.tables import Base  # every module's tables: the writes' foreign keys
    from tradeshield.tenancy.kinds import Role
    from tradeshield.tenancy.scope import Scope

    assert Base.metadata.tables
    engine = make_engine(where if "://" in where else f"sqlite:///{where}")
    scope = Scope(tenant_id=tenant_id, role=Role.OPERATOR, actor="bench")
    model, policy = load_model(), load_policy()
    with session_factory(engine)() as session:
        started = time.perf_counter()
        frames = load_market(session, tenant_id)
        read = time.perf_counter() - started
        assessment = assess_market(frames, frames.latest_event_s(), model, policy)
        total = time.perf_counter() - started
        print(f"orders: {frames.orders.height}")
        print(f"accounts: {frames.accounts.height}")
        print(f"claims: {frames.claims.height}")
        print(f"order_lines: {frames.purchases.height}")
        print(f"identifiers: {frames.identifiers.height}")
        print(f"read_seconds (owner frame queries, ADBC): {read:.1f}")
        print(f"assess_seconds (features + rings + scores): {total - read:.1f}")
        print(f"end_to_end_seconds (database to scores): {total:.1f}")
        print(f"orders_per_second: {frames.orders.height / total:.0f}")
        print(f"rings: {len(assessment.rings)}")
        if store:
            started = time.perf_counter()
            service.store_assessment(session, scope, assessment)
            session.flush()
            print(f"store_seconds (scores, rings, actions; rolled back): "
                  f"{time.perf_counter() - started:.1f}")  # fmt: skip
            session.rollback()
    engine.dispose()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    print(f"peak_rss_gib: {own:.2f} (reader child {child:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--db-orders", type=int, default=20_000)
    parser.add_argument("--from-db", default=None, help="a demo SQLite file or database URL")
    parser.add_argument("--tenant-id", type=int, default=1)
    parser.add_argument("--store", action="store_true", help="with --from-db: time the writes")
    args = parser.parse_args(argv)
    os.environ.setdefault("TRADESHIELD_IDENTIFIER_SECRET", "bench-secret-not-for-production")
    if args.from_db is not None:
        from_database(args.from_db, args.tenant_id, args.store)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-integrity-") as scratch:
        folder = Path(scratch)
        os.environ["TRADESHIELD_DATA_DIR"] = str(folder / "data")
        started = time.perf_counter()
        sizes = generate_market(args.orders, args.seed, folder)
        print(f"generate_seconds: {time.perf_counter() - started:.1f}")
        for name, count in sizes.items():
            print(f"{name}: {count}")
        elapsed, accounts, rings = batch(folder)
        print(f"batch_seconds (read parquet + features + rings + scores): {elapsed:.1f}")
        print(f"batch_accounts_scored: {accounts}")
        print(f"batch_rings: {rings}")
        print(f"batch_orders_per_second: {args.orders / elapsed:.0f}")
        pure = incremental_pure(folder, args.samples)
        print(f"incremental_pure_ms_median: {statistics.median(pure):.2f}")
        print(f"incremental_pure_ms_p95: {_p95(pure):.2f}")
        if args.db_orders > 0:
            stored = incremental_database(args.db_orders, min(args.samples, 200), folder)
            print(f"incremental_db_ms_median: {statistics.median(stored):.2f}")
            print(f"incremental_db_ms_p95: {_p95(stored):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
