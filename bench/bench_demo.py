"""How fast ``tradeshield demo`` fills a fresh SQLite file.

    python bench/bench_demo.py --orders 1000000

Prints plain ``name: value`` lines (orders per second, rows per second, total seconds and
the rows per table) and exits 0. The database lives in a temporary directory that is
removed afterwards, unless ``--keep`` names a directory to keep it in.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="directory to leave the file in")
    args = parser.parse_args(argv)
    # A fixed HMAC key keeps the bench from writing a key file next to the repository.
    os.environ.setdefault("TRADESHIELD_IDENTIFIER_SECRET", "bench-secret-not-for-production")
    from tradeshield.db import make_engine
    from tradeshield.demo.service import generate
    from tradeshield.migrate import upgrade
    from tradeshield.settings import get_settings

    get_settings.cache_clear()
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        database = folder / "bench-demo.db"
        database.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{database}")
        upgrade(engine)
        started = time.perf_counter()
        summary = generate(engine, args.orders, args.seed)
        elapsed = time.perf_counter() - started
        engine.dispose()
        rows = sum(summary.rows.values())
        print(f"orders: {args.orders}")
        print(f"rows: {rows}")
        print(f"total_seconds: {elapsed:.1f}")
        print(f"orders_per_second: {args.orders / elapsed:.0f}")
        print(f"rows_per_second: {rows / elapsed:.0f}")
        print(f"database_mib: {database.stat().st_size / 2**20:.0f}")
        for table, count in summary.rows.items():
            print(f"rows.{table}: {count}")
        for label, count in summary.labels.items():
            print(f"labels.{label}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
