"""The app factory: routes, pages, error mapping, limits, security headers, health and metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from paydesk import __version__
from paydesk.api import agent, analytics, customer
from paydesk.api.services import Services, build_services
from paydesk.api.text import scrubbed
from paydesk.config import DEVELOPMENT_SECRET, Settings
from paydesk.domain.errors import (
    ApprovalNeeded,
    DeveloperError,
    IdempotencyConflict,
    NeedsInput,
    NotFound,
    PaydeskError,
    PolicyRefusal,
    UpstreamError,
)
from paydesk.handoff.desk import Conflict, Forbidden

log = logging.getLogger(__name__)
STATIC = Path(str(files("paydesk.web"))) / "static"
STATUS: list[tuple[type[PaydeskError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (ApprovalNeeded, 403),
    (Conflict, 409),
    (IdempotencyConflict, 409),
    (PolicyRefusal, 409),
    (NeedsInput, 422),
    (DeveloperError, 422),
    (UpstreamError, 503),
]
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = services.settings if services else settings or Settings()
    if settings.env == "production" and settings.secret == DEVELOPMENT_SECRET:
        raise DeveloperError("PAYDESK_SECRET must be set to a secret of your own in production")
    app = FastAPI(
        title="paydesk",
        version=__version__,
        description="The paydesk assistant's customer and agent API.",
        lifespan=_threads(settings),
    )
    app.state.services = services or build_services(settings)
    app.include_router(customer.router)
    app.include_router(customer.demo)
    app.include_router(agent.router)
    app.include_router(analytics.router)
    _errors(app)
    _middleware(app, settings)
    _pages(app)
    return app


def _threads(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The thread pool of the blocking routes. The embedded engine's turns are CPU-bound under one GIL: two threads
    (one computing, one waiting on the database) answer as many turns as forty, with a lower p99: forty hand the GIL
    around. An LLM's turns mostly wait on the network, so they get anyio's forty."""
    threads = settings.threads or (40 if settings.engine == "llm" else 2)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def _errors(app: FastAPI) -> None:
    async def paydesk_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PaydeskError)
        status = next((code for kind, code in STATUS if isinstance(exc, kind)), 500)
        if status >= 500:
            app.state.services.metrics.errors.labels(exc.code).inc()
        return JSONResponse({"detail": exc.message, "code": exc.code}, status_code=status)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        app.state.services.metrics.errors.labels("internal").inc()
        return JSONResponse({"detail": "internal error"}, status_code=500)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": scrubbed(jsonable_encoder(exc.errors()))}, status_code=422)

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(PaydeskError, paydesk_error)
    app.add_exception_handler(Exception, unexpected)


def _middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(LimitsAndHeaders, max_body_bytes=settings.max_body_bytes)


class LimitsAndHeaders:
    """A plain ASGI middleware (Starlette's BaseHTTPMiddleware costs a task group per request): refuses NUL in the
    URL with 400 and a declared body over the limit with 413, and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if b"%00" in scope.get("raw_path", b"") or b"%00" in scope.get("query_string", b""):
            response = JSONResponse({"detail": "NUL characters are not allowed in the URL"}, 400)
            return await self._with_headers(response, scope, receive, send)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            response = JSONResponse({"detail": f"the request body is over {self.max_body_bytes} bytes"}, 413)
            return await self._with_headers(response, scope, receive, send)
        return await self._with_headers(self.app, scope, receive, send)

    async def _with_headers(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)


def _pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/chat")

    @app.get("/chat", include_in_schema=False)
    def chat_page() -> Response:
        return FileResponse(STATIC / "chat.html")

    @app.get("/console", include_in_schema=False)
    def console_page() -> Response:
        return FileResponse(STATIC / "console.html")

    @app.get("/dashboard", include_in_schema=False)
    def dashboard_page() -> Response:
        return FileResponse(STATIC / "dashboard.html")

    @app.get("/healthz", tags=["ops"])
    def health() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def ready() -> Response:
        """The database answers."""
        try:
            with app.state.services.store.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to reach the database means not ready
            return JSONResponse({"status": "unavailable", "detail": str(exc)[:200]}, 503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse)
    def metrics() -> Response:
        """Prometheus metrics: turns, turn latency, handoffs, actions, errors, CSAT."""
        return Response(app.state.services.metrics.render(), media_type="text/plain; version=0.0.4")
