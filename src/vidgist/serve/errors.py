"""Every error leaves the API as JSON ``{"error": "<one line>"}`` with the right status code."""

from __future__ import annotations

from typing import Any

from vidgist.errors import InputError, VidgistError


class ApiError(Exception):
    """An HTTP error with a one-line message for the client."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class NotFound(ApiError):
    status = 404


class PayloadTooLarge(ApiError):
    status = 413


class Unauthorized(ApiError):
    status = 401


def status_of(exc: Exception) -> int:
    """HTTP status for an exception the handlers see: ApiError's own, 422 for bad input, 500 otherwise."""
    if isinstance(exc, ApiError):
        return exc.status
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, VidgistError):
        return 400
    return 500


def install_handlers(app: Any) -> None:
    """Register JSON handlers for ApiError, VidgistError, FastAPI's validation and HTTP errors."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    def body(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        # a refused upload also ends the connection, so the client stops sending the rest of its body
        close = {"connection": "close"} if isinstance(exc, PayloadTooLarge) else None
        return body(status_of(exc), str(exc), close)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = f"{request.url.path}: not found"
        return body(exc.status_code, message, dict(exc.headers) if exc.headers else None)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for e in exc.errors()[:3]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return body(422, "; ".join(parts) or "invalid request")

    app.add_exception_handler(ApiError, on_error)
    app.add_exception_handler(VidgistError, on_error)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
