"""The load generator's HTTP client: one keep-alive HTTP/1.1 connection per simulated customer, answers parsed by
httptools (uvicorn's own parser). A load generator must not take the CPU it measures: on the same two cores, httpx's
connection pool costs the client about 3.7 ms of CPU per request, this about 0.2 ms (`benchmarks/echo.py` with
`--client httpx` and without)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httptools


class TransportError(Exception):
    """The request got no answer: the connection failed or closed, or the answer did not come in time."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Message:
    """What httptools calls back with while it parses one answer."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.complete = False
        self.close = False  # the server closes the connection after this answer

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"connection" and b"close" in value.lower():
            self.close = True

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


class Connection:
    """Requests one after the other on one connection, opened on first use and again after a failure."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the load generator speaks plain http://host:port, not {url!r}")
        self._host = parts.hostname
        self._port = parts.port or 80
        self._timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return await self.request("GET", path, None, headers)

    async def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
        return await self.request("POST", path, body, headers)

    async def request(self, method: str, path: str, body: Any, headers: dict[str, str] | None) -> Response:
        payload = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self._host}:{self._port}", f"Content-Length: {len(payload)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
        try:
            async with asyncio.timeout(self._timeout):
                return await self._exchange(request)
        except (OSError, TimeoutError, httptools.HttpParserError) as exc:
            await self.close()
            raise TransportError(f"{method} {path}: {exc!r}") from exc

    async def _exchange(self, request: bytes) -> Response:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        writer.write(request)
        message = _Message()
        parser = httptools.HttpResponseParser(message)
        while not message.complete:
            data = await reader.read(65536)
            if not data:
                raise ConnectionResetError("the server closed the connection")
            parser.feed_data(data)
        if message.close:
            await self.close()
        return Response(parser.get_status_code(), bytes(message.body))

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
