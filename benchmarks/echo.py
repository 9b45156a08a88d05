"""The ceiling: a bare FastAPI endpoint that echoes its JSON body, served by uvicorn like `paydesk serve` (same
workers, same HTTP stack) and loaded by the same kind of client, on the same machine. paydesk's turns/s divided by
this is the share of the machine's HTTP capacity left after the assistant's work.

    .venv/bin/python benchmarks/echo.py --workers 2 --requests 5000 --concurrency 32   # prints JSON

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
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import BaseModel


class Message(BaseModel):
    text: str


def create() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: Message) -> Message:
        return body

    return app


async def hammer(url: str, requests: int, concurrency: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        remaining = iter(range(requests))

        async def worker() -> None:
            nonlocal errors
            for _ in remaining:
                began = time.perf_counter()
                r = await client.post("/echo", json={"text": "I want to return the running shoes"})
                latencies.append((time.perf_counter() - began) * 1000)
                errors += r.status_code != 200

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)], 1),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
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
        asyncio.run(hammer(url, 500, args.concurrency))  # warm-up
        print(json.dumps({"workers": args.workers, **asyncio.run(hammer(url, args.requests, args.concurrency))}))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
