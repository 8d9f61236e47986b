"""Token auth as pure ASGI middleware: with a token configured, every HTTP request must carry it.

Accepted: ``Authorization: Bearer <token>``, the cookie ``vidgist_token``, or ``?token=<token>`` (for
opening the page in a browser; the response then sets the cookie, so the page's own requests and its
``<video>`` elements carry it). Compared in constant time. Anything else gets 401 with a JSON message.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

COOKIE = "vidgist_token"


class TokenAuth:
    """ASGI middleware: pass requests that carry ``token``, answer others 401."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    def _ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8"), self.token)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no cookie
            pass
        from_cookie = cookie[COOKIE].value if COOKIE in cookie else None
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
        if self._ok(bearer) or self._ok(from_cookie):
            await self.app(scope, receive, send)
            return
        if self._ok(query):

            async def send_with_cookie(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    value = f"{COOKIE}={self.token.decode()}; Path=/; HttpOnly; SameSite=Strict"
                    message.setdefault("headers", []).append((b"set-cookie", value.encode("latin-1")))
                await send(message)

            await self.app(scope, receive, send_with_cookie)
            return
        body = json.dumps(
            {
                "error": "this server needs a token: send 'Authorization: Bearer TOKEN' "
                "or open the page as /?token=TOKEN"
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
            }
        )
        await send({"type": "http.response.body", "body": body})
