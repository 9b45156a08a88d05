"""The load generator's HTTP client against a scripted HTTP/1.1 server on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from paydesk.sim.http import Connection, TransportError

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def _served(handler: Handler) -> AsyncIterator[str]:
    """The scripted server's URL while the block runs."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def _request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line[15:]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    return head, await reader.readexactly(length)


def test_requests_share_one_connection_and_bodies_arrive_whole() -> None:
    connections: list[int] = []
    seen: list[tuple[bytes, bytes]] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while not reader.at_eof():
            try:
                seen.append(await _request(reader))
            except asyncio.IncompleteReadError:
                break
            if len(seen) == 1:  # a sized answer
                writer.write(b'HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{"a": "\xc3\xa9"}')
            else:  # a chunked one, in pieces
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[1, \r\n")
                await writer.drain()
                writer.write(b"2\r\n2]\r\n0\r\n\r\n")
            await writer.drain()
        writer.close()

    async def scenario() -> None:
        async with _served(handler) as url:
            client = Connection(url)
            first = await client.post("/v1/x", {"text": "héllo"}, {"Authorization": "Bearer t"})
            second = await client.get("/v1/y")
            await client.close()
        assert (first.status, first.json()) == (201, {"a": "é"})
        assert (second.status, second.json()) == (200, [1, 2])
        assert len(connections) == 1
        (head, body), (head2, body2) = seen
        assert head.startswith(b"POST /v1/x HTTP/1.1\r\n") and b"Authorization: Bearer t\r\n" in head
        assert b"Content-Type: application/json" in head and body == b'{"text": "h\\u00e9llo"}'
        assert head2.startswith(b"GET /v1/y HTTP/1.1\r\n") and body2 == b""

    asyncio.run(scenario())


def test_a_closed_connection_fails_cleanly_and_the_next_request_reconnects() -> None:
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await _request(reader)
        if len(connections) == 1:  # the first connection dies mid-request
            writer.close()
            return
        writer.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def scenario() -> None:
        async with _served(handler) as url:
            client = Connection(url)
            with pytest.raises(TransportError, match="POST /v1/x"):
                await client.post("/v1/x", {})
            answer = await client.post("/v1/x", {})
            await client.close()
        assert (answer.status, answer.body) == (503, b"")
        assert len(connections) == 2

    asyncio.run(scenario())


def test_an_answer_that_does_not_come_in_time_is_a_transport_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request(reader)
        await asyncio.sleep(5)
        writer.close()

    async def scenario() -> None:
        async with _served(handler) as url:
            with pytest.raises(TransportError, match="TimeoutError"):
                await Connection(url, timeout=0.2).get("/slow")

    asyncio.run(scenario())


def test_only_plain_http_urls_are_taken() -> None:
    with pytest.raises(ValueError, match="plain http"):
        Connection("https://example.com")
