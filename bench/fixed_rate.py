"""An open-loop HTTP/1.1 load generator light enough to drive a server at hundreds of
requests a second from the same 2-core machine.

Request ``i`` is due at ``start + i / rate``; it waits for a free keep-alive connection
from a fixed pool and its latency counts from the due moment, so a server that falls behind
cannot hide its queue. Plain asyncio streams instead of an HTTP client library: at these
rates a full client's own per-request cost would be measured instead of the server's.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx


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
    # The load generator's own heap (the demo it built, its imports) made full collections
    # of 100-150 ms during a run, counted as the server's latency; frozen, a collection
    # walks only what this run allocates.
    gc.collect()
    gc.freeze()
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


@dataclass(frozen=True, slots=True)
class RunningServer:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far: the server's cost
        per request, whatever else shares the machine."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in _process_tree(self.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    env: dict[str, str], workers: int = 1, cpus: str | None = None
) -> Iterator[RunningServer]:
    """``uvicorn`` with the app in a subprocess (on the CPUs ``cpus``, e.g. "1", if given),
    ready once ``/healthz`` answers."""
    port = _free_port()
    command = [
        sys.executable, "-m", "uvicorn", "tradeshield.app:create_app", "--factory",
        "--port", str(port), "--log-level", "critical", "--workers", str(workers),
    ]  # fmt: skip
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield RunningServer(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def pin_client(cpus: str | None) -> None:
    """Keep the load generator off the server's CPUs."""
    if cpus is not None:
        os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})


def report(name: str, fired: Fired, count: int, server_cpu_s: float) -> None:
    print(f"{name}_requests: {count}  errors: {fired.errors}  "
          f"achieved_rate: {count / fired.wall_s:.0f}/s")  # fmt: skip
    for label, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("p999", 0.999)):
        print(f"{name}_{label}_ms: {fired.quantile(share):.2f}")
    print(f"{name}_server_cpu_ms_per_request: {server_cpu_s * 1000 / count:.3f}")
