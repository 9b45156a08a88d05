"""The ceiling: a bare FastAPI endpoint that echoes its JSON body, served by uvicorn like `paydesk serve` (same
workers, same HTTP stack) and loaded by the same client as `paydesk load`, on the same machine. paydesk's turns/s
divided by this is the share of the machine's HTTP capacity left after the assistant's work.

    .venv/bin/python benchmarks/echo.py --workers 2 --requests 5000 --concurrency 32   # prints JSON
    .venv/bin/python benchmarks/echo.py --workers 2 --client httpx    # the same load from httpx's pooled client

(`benchmarks/performance.py` runs it for the README's table.)"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import httpx
import uvloop
from fastapi import FastAPI
from pydantic import BaseModel

from paydesk.sim.http import Connection


class Message(BaseModel):
    text: str


def create() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: Message) -> Message:
        return body

    return app


async def hammer(url: str, requests: int, concurrency: int, client: str) -> dict[str, Any]:
    """`requests` POSTs from `concurrency` clients at once, each on its own connection: paydesk load's client
    (paydesk.sim.http) or, to compare, httpx's pooled AsyncClient."""
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))
    body = {"text": "I want to return the running shoes"}

    async def worker(post: Callable[[], Awaitable[int]]) -> None:
        nonlocal errors
        for _ in remaining:
            began = time.perf_counter()
            status = await post()
            latencies.append((time.perf_counter() - began) * 1000)
            errors += status != 200

    cpu, start = time.process_time(), time.perf_counter()
    if client == "httpx":
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as pool:
            await asyncio.gather(*(worker(partial(_httpx_post, pool, body)) for _ in range(concurrency)))
    else:
        connections = [Connection(url) for _ in range(concurrency)]
        await asyncio.gather(*(worker(partial(_post, c, body)) for c in connections))
        for connection in connections:
            await connection.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    ordered = sorted(latencies)
    return {
        "client": client,
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)], 1),
        "client_cpu_ms_per_request": round(cpu / requests * 1000, 2),
        "errors": errors,
    }


async def _post(connection: Connection, body: dict[str, str]) -> int:
    return (await connection.post("/echo", body)).status


async def _httpx_post(pool: httpx.AsyncClient, body: dict[str, str]) -> int:
    return (await pool.post("/echo", json=body)).status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--client", choices=["paydesk", "httpx"], default="paydesk", help="paydesk load's or httpx's")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "uvicorn", "benchmarks.echo:create", "--factory", "--port", str(port)]
    command += ["--workers", str(args.workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.post(f"{url}/echo", json={"text": "up?"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        uvloop.run(hammer(url, 500, args.concurrency, args.client))  # warm-up
        figures = uvloop.run(hammer(url, args.requests, args.concurrency, args.client))
        print(json.dumps({"workers": args.workers, **figures}))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
