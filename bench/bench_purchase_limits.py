"""Checkout-time purchase-limit answers under a fixed request rate.

    python bench/bench_purchase_limits.py --rate 500 --seconds 20

Fills a demo marketplace in a temporary SQLite file, confirms its returns' checks (so
some buyers carry real restrictions), starts ``uvicorn`` in a subprocess and sends
``GET /v1/returns/purchase-policy`` for random buyers and products at a fixed rate (open
loop: a request is sent at its scheduled moment whether or not earlier ones have finished,
and latency counts from that moment, so a slow server cannot hide its queue). The same is
done for ``/healthz`` first as a baseline of the HTTP stack alone. Prints ``name: value``
lines: p50 / p95 / p99 / p99.9 latency in ms, achieved rate, errors, the server's CPU time per
request (from /proc, so it holds whatever else runs), and p99 vs the baseline.
``--server-cpus 1 --client-cpus 0`` keeps the server and the load generator on separate cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from fixed_rate import RunningServer, fire, pin_client, report, request_bytes, serving


def _prepare(folder: Path, orders: int) -> tuple[str, list[int], list[int], int]:
    """The demo operator key, buyer ids, product ids and how many restrictions exist."""
    from sqlalchemy import text

    from tradeshield.db import make_engine, session_factory
    from tradeshield.demo.service import generate
    from tradeshield.migrate import upgrade
    from tradeshield.returns import service
    from tradeshield.tenancy.scope import Scope

    engine = make_engine(f"sqlite:///{folder / 'tradeshield.db'}")
    upgrade(engine)
    summary = generate(engine, orders, seed=11)
    scope = Scope.system(summary.tenant_id)
    with session_factory(engine)() as session:
        # The demo's warehouse checked every arrived return; the merchant confirms them all.
        checked = session.execute(text("SELECT id FROM return_verifications")).scalars()
        for verification_id in list(checked):
            service.confirm(session, scope, verification_id)
        session.commit()
        buyers = list(session.execute(text("SELECT id FROM buyer_accounts")).scalars())
        products = list(session.execute(text("SELECT id FROM products")).scalars())
        restricted = session.execute(text("SELECT COUNT(*) FROM purchase_restrictions")).scalar()
    engine.dispose()
    return summary.operator_key, buyers, products, int(restricted or 0)


def _run(server: RunningServer, key: str, paths: list[str], args: Any) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    policy = [request_bytes("GET", path, headers) for path in paths]
    health = [request_bytes("GET", "/healthz", headers)] * len(paths)
    asyncio.run(fire(server.port, policy[:500], args.rate, args.connections))  # warm-up
    results = {}
    for name, batch in (("healthz", health), ("purchase_policy", policy)):
        cpu_before = server.cpu_seconds()
        fired = asyncio.run(fire(server.port, batch, args.rate, args.connections))
        results[name] = fired
        report(name, fired, len(batch), server.cpu_seconds() - cpu_before)
    ratio = results["purchase_policy"].quantile(0.99) / results["healthz"].quantile(0.99)
    print(f"p99_ratio_vs_healthz: {ratio:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=32, help="client connections")
    parser.add_argument("--server-cpus", help="run the server on these CPUs, e.g. 1")
    parser.add_argument("--client-cpus", help="run the load generator on these CPUs, e.g. 0")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as scratch:
        folder = Path(scratch)
        os.environ["TRADESHIELD_DATA_DIR"] = str(folder)
        os.environ["TRADESHIELD_IDENTIFIER_SECRET"] = "bench-secret-not-for-production"
        key, buyers, products, restricted = _prepare(folder, args.orders)
        print(f"buyers: {len(buyers)}  products: {len(products)}  restrictions: {restricted}")
        count = int(args.rate * args.seconds)
        pick = random.Random(5)
        paths = [
            f"/v1/returns/purchase-policy?buyer_id={pick.choice(buyers)}"
            f"&product_id={pick.choice(products)}&quantity={pick.randint(1, 3)}"
            for _ in range(count)
        ]
        with serving(os.environ.copy(), args.workers, args.server_cpus) as server:
            pin_client(args.client_cpus)
            print(
                f"rate: {args.rate:.0f}/s  seconds: {args.seconds}  workers: {args.workers}  "
                f"connections: {args.connections}  server cpus: {args.server_cpus or 'any'}  "
                f"client cpus: {args.client_cpus or 'any'}"
            )
            _run(server, key, paths, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
