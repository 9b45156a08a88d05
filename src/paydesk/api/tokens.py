"""Customer tokens: `base64url(json{sub, exp}).base64url(HMAC-SHA256)`, signed with the deployment's secret. The
company's app issues them for its signed-in customer; `paydesk token` makes one for the demo."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta


class BadToken(Exception):
    """Malformed, forged or expired."""


def issue(customer_id: str, secret: str, now: datetime, hours: float) -> str:
    payload = json.dumps({"sub": customer_id, "exp": int((now + timedelta(hours=hours)).timestamp())})
    body = _b64(payload.encode())
    return f"{body}.{_b64(_sign(body, secret))}"


def verify(token: str, secret: str, now: datetime) -> str:
    """The customer id the token was issued for."""
    body, _, signature = token.partition(".")
    try:
        given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError as exc:
        raise BadToken("malformed token") from exc
    if not hmac.compare_digest(given, _sign(body, secret)):
        raise BadToken("bad signature")
    if not isinstance(data, dict) or not isinstance(data.get("sub"), str) or not isinstance(data.get("exp"), int):
        raise BadToken("malformed token")
    if data["exp"] <= now.timestamp():
        raise BadToken("token expired")
    return str(data["sub"])


def _sign(body: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
