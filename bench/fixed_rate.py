"""An open-loop HTTP/1.1 load generator light enough to drive a server at hundreds of
requests a second from the same 2-core machine.

Request ``i`` is due at ``start + i / rate``; it waits for a free keep-alive connection
from a fixed pool and its latency counts from the due moment, so a server that falls behind
cannot hide its queue. Plain asyncio streams instead of an HTTP client library: at these
rates a full client's own per-request cost would be measured instead of the server's.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Fired:
    latencies_ms: list[float]  # sorted
    errors: int
    wall_s: float

    def quantile(self, share: float) -> float:
        values = self.latencies_ms
        return values[min(len(values) - 1, int(share * len(values)))]


def request_bytes(
    method: str, path: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> bytes:
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _status_of_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1])


async def fire(port: int, requests: list[bytes], rate: float, connections: int = 32) -> Fired:
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + 0.1

    async def one(raw: bytes, due: float) -> None:
        nonlocal errors
        reader, writer = await pool.get()
        try:
            writer.write(raw)
            await writer.drain()
            errors += await _status_of_response(reader) != 200
            pool.put_nowait((reader, writer))
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
            writer.close()
            pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
        latencies.append((time.perf_counter() - due) * 1000)

    tasks = []
    for index, raw in enumerate(requests):
        due = start + index / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(raw, due)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait()[1].close()
    return Fired(sorted(latencies), errors, wall)
