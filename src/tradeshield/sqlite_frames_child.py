"""The child process that reads SQLite tables through ADBC for ``bulk_frames``.

    python -m tradeshield.sqlite_frames_child < order.json

The order names the database file, a folder, the queries by name and how many to run at
once; each result is written to ``<folder>/<name>.arrow`` (Arrow IPC) and the process exits
0, or prints the error and exits 1. It imports nothing of TradeShield but this file: its
only SQLite library is the driver's (see ``bulk_frames`` for why that matters).

The driver infers a column's type from its values and takes an all-NULL first batch for
integers, so queries sent here must not select nullable text (nullable integers are fine).
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import adbc_driver_sqlite.dbapi as driver

# Opening a WAL database whose last writer has just closed makes the first reader recover the
# write-ahead log; the other readers, opened at the same moment, must wait for it rather than
# fail with "database is locked" (seen once right after a 1M-order demo was written).
_BUSY_TIMEOUT_MS = 30_000


def read_one(database: str, sql: str, target: Path) -> None:
    connection = driver.connect(database)
    with closing(connection), closing(connection.cursor()) as cursor:
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.execute(sql)
        frame = cursor.fetch_polars()
    frame.write_ipc(target, compression="uncompressed")


def main() -> int:
    order = json.load(sys.stdin)
    folder = Path(order["folder"])
    queries: dict[str, str] = order["queries"]
    try:
        with ThreadPoolExecutor(int(order["threads"])) as pool:
            pending = [
                pool.submit(read_one, order["database"], sql, folder / f"{name}.arrow")
                for name, sql in queries.items()
            ]
            for future in pending:
                future.result()
    except Exception as error:  # any failure: one line for the parent's message
        message = " ".join(str(error).split())
        print(f"{type(error).__name__}: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
