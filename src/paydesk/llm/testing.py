"""A scripted server that speaks the OpenAI chat-completions wire protocol on loopback, for tests and demos.

It answers each `POST /v1/chat/completions` with what a responder (a function of the request body, or a list of
scripted replies used in turn) says: content, tool calls, an HTTP error, a malformed body, or a delay (to provoke the
client's timeout). Every request it received is kept in `requests`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Scripted:
    """One reply: `content` and/or `tool_calls` ({"name", "arguments"}) with HTTP 200; or `status` >= 400 with an
    error body; or `raw`, sent as the body as it is (malformed JSON, say). `delay` seconds before answering."""

    content: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    raw: str | None = None
    delay: float = 0.0


Responder = Callable[[dict[str, Any]], Scripted]


class ScriptedLLM:
    def __init__(self, responder: Responder | list[Scripted]) -> None:
        self.requests: list[dict[str, Any]] = []
        if isinstance(responder, list):
            script = list(responder)
            self.responder: Responder = lambda _body: script.pop(0) if script else Scripted(content="")
        else:
            self.responder = responder
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @contextmanager
    def running(self, port: int = 0) -> Iterator[ScriptedLLM]:
        server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        server.daemon_threads = True
        self._server = server
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._send(400, {"error": {"message": "bad JSON"}})
                    return
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                with owner._lock:
                    owner.requests.append(body)
                reply = owner.responder(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.raw is not None:
                    self._send_raw(reply.status, reply.raw)
                elif reply.status >= 400:
                    self._send(reply.status, {"error": {"message": f"scripted {reply.status}", "type": "server_error"}})
                else:
                    self._send(200, completion(body, reply))

            def _send(self, status: int, data: dict[str, Any]) -> None:
                self._send_raw(status, json.dumps(data))

            def _send_raw(self, status: int, text: str) -> None:
                payload = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (a timeout it was meant to hit)

        return Handler


def completion(request: dict[str, Any], reply: Scripted) -> dict[str, Any]:
    """A chat.completion body."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": f"call_{i}",
                "type": "function",
                "function": {"name": call["name"], "arguments": json.dumps(call.get("arguments", {}))},
            }
            for i, call in enumerate(reply.tool_calls)
        ]
    prompt = sum(len(str(m.get("content") or "")) for m in request.get("messages", [])) // 4
    answer = len(reply.content or "") // 4
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "scripted"),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": answer, "total_tokens": prompt + answer},
    }
