"""Checkout-time purchase-limit answers under a fixed request rate.

    python bench/bench_purchase_limits.py --rate 500 --seconds 20

Fills a demo marketplace in a temporary SQLite file, verifies and confirms its returns (so
some buyers carry real restrictions), starts ``uvicorn`` in a subprocess and sends
``GET /v1/returns/purchase-policy`` for random buyers and products at a fixed rate (open
loop: a request is sent at its scheduled moment whether or not earlier ones have finished,
and latency counts from that moment, so a slow server cannot hide its queue). The same is
done for ``/healthz`` first as a baseline of the HTTP stack alone. Prints ``name: value``
lines: p50 / p95 / p99 latency in ms, achieved rate, errors, and p99 vs the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from fixed_rate import fire, request_bytes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(folder: Path, orders: int) -> tuple[str, list[int], list[int], int]:
    """The demo operator key, buyer ids, product ids and how many restrictions exist."""
    from sqlalchemy import text

    from tradeshield.db import make_engine, session_factory
    from tradeshield.demo.service import generate
    from tradeshield.migrate import upgrade
    from tradeshield.returns import service
    from tradeshield.returns.schemas import VerifyIn
    from tradeshield.tenancy.scope import Scope

    engine = make_engine(f"sqlite:///{folder / 'tradeshield.db'}")
    upgrade(engine)
    summary = generate(engine, orders, seed=11)
    scope = Scope.system(summary.tenant_id)
    with session_factory(engine)() as session:
        returned = session.execute(text(
            "SELECT order_id, shipment_id FROM unit_evidence WHERE stage = 'returned'"
        )).all()  # fmt: skip
        for order_id, shipment_id in returned:
            found = service.verify_return(
                session, scope, VerifyIn(order_id=order_id, return_shipment_id=shipment_id),
                service.default_store(),
            )  # fmt: skip
            service.confirm(session, scope, found.id)
        session.commit()
        buyers = list(session.execute(text("SELECT id FROM buyer_accounts")).scalars())
        products = list(session.execute(text("SELECT id FROM products")).scalars())
        restricted = session.execute(text("SELECT COUNT(*) FROM purchase_restrictions")).scalar()
    engine.dispose()
    return summary.operator_key, buyers, products, int(restricted or 0)


def _run(port: int, key: str, paths: list[str], baseline: list[str], args: Any) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    policy = [request_bytes("GET", path, headers) for path in paths]
    health = [request_bytes("GET", path, headers) for path in baseline]
    asyncio.run(fire(port, policy[:500], args.rate, args.connections))  # warm-up
    results = {}
    for name, batch in (("healthz", health), ("purchase_policy", policy)):
        fired = asyncio.run(fire(port, batch, args.rate, args.connections))
        results[name] = fired
        print(f"{name}_requests: {len(batch)}")
        print(f"{name}_errors: {fired.errors}")
        print(f"{name}_achieved_rate: {len(batch) / fired.wall_s:.0f}")
        for label, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            print(f"{name}_{label}_ms: {fired.quantile(share):.2f}")
    ratio = results["purchase_policy"].quantile(0.99) / results["healthz"].quantile(0.99)
    print(f"p99_ratio_vs_healthz: {ratio:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=32, help="client connections")
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
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tradeshield.app:create_app", "--factory",
             "--port", str(port), "--log-level", "critical", "--workers", str(args.workers)],
            env=os.environ.copy(),
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(
                f"rate: {args.rate:.0f}/s  seconds: {args.seconds}  workers: {args.workers}  "
                f"connections: {args.connections}"
            )
            _run(port, key, paths, ["/healthz"] * count, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
