"""Rulings per second in batch on one core, and the ruling endpoint's latency at a fixed rate.

    python bench/bench_rules.py --cases 20000 --rate 200 --seconds 15

Part 1 pins the process to one CPU and rules a seeded mix of synthetic cases (every
industry, every reason, realistic times and statements) with ``adjudicate_many`` (one
zen-engine call per pack per round, each pack compiled once), and one by one with
``adjudicate`` as the baseline in the same process. Part 2 starts ``uvicorn`` in a
subprocess on a small demo marketplace and sends ``POST /v1/rules/adjudicate`` at a fixed
rate (open loop: latency counts from each request's scheduled moment), with ``/healthz`` at
the same rate first as the HTTP stack's own baseline. Prints ``name: value`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fixed_rate import RunningServer, fire, pin_client, report, request_bytes, serving
from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.catalog.industries import Industry
from tradeshield.rules.adjudication import adjudicate, adjudicate_many
from tradeshield.rules.facts import CaseFacts, Item
from tradeshield.rules.library import default_library

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
FORGERY = ["none", "clean", "suspicious", "confirmed"]
FLAGS = ("opened", "seal_broken", "tags_removed", "activated", "lab_test_failed", "material_claim")


def synthetic_facts(count: int, seed: int) -> list[dict[str, Any]]:
    pick = random.Random(seed)
    rows = []
    for _ in range(count):
        order = pick.randint(500, 200_000)
        delivered = T0 + dt.timedelta(hours=pick.randint(24, 120))
        rows.append({
            "kind": pick.choice(list(CaseKind)).value,
            "reason": pick.choice(list(ReasonCode)).value,
            "industry": pick.choice(list(Industry)).value,
            "order_amount_minor": order,
            "claimed_amount_minor": pick.randint(100, order),
            "ordered_at": T0.isoformat(),
            "promised_delivery_at": (T0 + dt.timedelta(hours=72)).isoformat(),
            "delivered_at": None if pick.random() < 0.1 else delivered.isoformat(),
            "claimed_at": (delivered + dt.timedelta(hours=pick.randint(1, 600))).isoformat(),
            "affected_share": pick.choice([None, 0.2, 0.5, 1.0]),
            "photos": pick.choice([0, 1, 3]),
            "has_video": pick.random() < 0.3,
            "forgery": pick.choices(FORGERY, [80, 14, 5, 1])[0],
            "item": Item(**{f: pick.random() < 0.1 for f in FLAGS}).model_dump(),
        })  # fmt: skip
    return rows


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"cpu {core}"
    return "not pinned (no sched_setaffinity)"


def bench_batch(count: int, repeats: int) -> None:
    print(f"affinity: {_pin_one_core()}")
    library = default_library()
    facts = [CaseFacts.model_validate(row) for row in synthetic_facts(count, seed=3)]
    adjudicate_many(library, facts[:500])  # warm caches
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        rulings = adjudicate_many(library, facts)
        rates.append(count / (time.perf_counter() - start))
    single_n = min(count, 3000)
    start = time.perf_counter()
    for item in facts[:single_n]:
        adjudicate(library, item)
    single = single_n / (time.perf_counter() - start)
    cited = sum(1 for r in rulings if r.clause_ids) / len(rulings)
    print(f"batch_cases: {count}  repeats: {repeats}")
    print(f"batch_rulings_per_s_median: {statistics.median(rates):.0f}")
    print(f"batch_rulings_per_s_min: {min(rates):.0f}")
    print(f"single_rulings_per_s: {single:.0f}")
    print(f"batch_vs_single_ratio: {statistics.median(rates) / single:.2f}")
    print(f"share_with_a_cited_clause: {cited:.3f}")


async def _load(server: RunningServer, key: str, bodies: list[dict[str, Any]], rate: float) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    rulings = [
        request_bytes("POST", "/v1/rules/adjudicate", headers, {"facts": body}) for body in bodies
    ]
    await fire(server.port, rulings[:200], rate)  # warm-up: packs loaded, connections open
    results = {}
    for name, batch in (
        ("healthz", [request_bytes("GET", "/healthz", headers)] * len(bodies)),
        ("adjudicate", rulings),
    ):
        cpu_before = server.cpu_seconds()
        fired = await fire(server.port, batch, rate)
        results[name] = fired
        report(name, fired, len(batch), server.cpu_seconds() - cpu_before)
    ratio = results["adjudicate"].quantile(0.99) / results["healthz"].quantile(0.99)
    print(f"p99_ratio_vs_healthz: {ratio:.2f}")


def bench_endpoint(
    rate: float, seconds: float, workers: int, server_cpus: str | None, client_cpus: str | None
) -> None:
    from tradeshield.db import make_engine
    from tradeshield.demo.service import generate
    from tradeshield.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="bench-rules-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "TRADESHIELD_DATA_DIR": str(folder),
               "TRADESHIELD_DATABASE_URL": f"sqlite:///{folder / 'tradeshield.db'}"}  # fmt: skip
        os.environ.update(env)
        engine = make_engine(env["TRADESHIELD_DATABASE_URL"])
        upgrade(engine)
        key = generate(engine, 200, seed=11).operator_key
        engine.dispose()
        bodies = synthetic_facts(int(rate * seconds), seed=9)
        with serving(env, workers, server_cpus) as server:
            pin_client(client_cpus)
            cpus = f"server cpus: {server_cpus or 'any'}  client cpus: {client_cpus or 'any'}"
            print(f"rate: {rate:.0f}/s  seconds: {seconds}  uvicorn workers: {workers}  {cpus}")
            asyncio.run(_load(server, key, bodies, rate))
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--skip-endpoint", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--server-cpus", help="run the server on these CPUs, e.g. 1")
    parser.add_argument("--client-cpus", help="run the load generator on these CPUs, e.g. 0")
    args = parser.parse_args(argv)
    if not args.skip_endpoint:  # first: part 1 pins this process to one core
        bench_endpoint(args.rate, args.seconds, args.workers, args.server_cpus, args.client_cpus)
    bench_batch(args.cases, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
