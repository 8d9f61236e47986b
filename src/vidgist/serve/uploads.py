"""Streamed multipart uploads: the file part goes straight to disk, the size limit is enforced while it
streams (413 as soon as it is passed, and at once from a Content-Length that is already too big).

``receive(request, folder, limit)`` -> ``Upload(path, filename, fields)``: the file part (form field
``file``) is written to ``folder/source<.ext>`` (a server-made name; the suffix only when it is a short
alphanumeric one), the other fields are kept as short strings. Nothing from the request names a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgist.serve.errors import ApiError, PayloadTooLarge

#: bytes of all non-file fields together (queries, budget): plenty for text, nothing for a smuggled file
MAX_FIELDS_BYTES = 64 * 1024
#: multipart framing allowance on top of the file limit when checking Content-Length up front
FRAMING_BYTES = MAX_FIELDS_BYTES + 16 * 1024
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}")


@dataclass
class Upload:
    path: Path | None = None
    filename: str = ""
    size: int = 0
    fields: dict[str, list[str]] = field(default_factory=dict)


def human_bytes(n: int) -> str:
    """1500000000 -> '1.5 GB'."""
    for unit, size in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"upload is larger than this server's limit of {human_bytes(limit)} (--max-upload); "
        "cut or compress the video first"
    )


def safe_filename(raw: str) -> str:
    """The client's file name for display: its last path part, printable, at most 200 characters."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "upload"


def _check_request(request: Any, limit: int) -> bytes:
    """The multipart boundary of ``request``; 413 at once when its Content-Length is already too big, 415
    when it is not multipart/form-data."""
    from python_multipart.multipart import parse_options_header

    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit + FRAMING_BYTES:
        raise too_large(limit)
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise ApiError("send the video as multipart/form-data with the field 'file'", 415)
    return boundary


class _Receiver:
    """Multipart parser callbacks: the file part streams into ``folder``, the others into ``up.fields``."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.up = Upload()
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.field = b""
        self.sink: Any = None
        self.key = b""
        self.fields = 0

    def callbacks(self) -> Any:
        return {
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.key += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        key = self.key.lower()
        self.headers[key] = self.headers.get(key, b"") + data[start:end]

    def on_header_end(self) -> None:
        self.key = b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, opts = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = opts.get(b"name", b"").decode("utf-8", "replace")
        self.field = b""
        if b"filename" in opts:
            self._open_file(opts[b"filename"])

    def _open_file(self, raw_name: bytes) -> None:
        up = self.up
        if self.name != "file" or up.path is not None:
            raise ApiError("send exactly one file, in the form field 'file'", 422)
        up.filename = safe_filename(raw_name.decode("utf-8", "replace"))
        suffix = Path(up.filename).suffix
        up.path = self.folder / ("source" + (suffix.lower() if _SUFFIX.fullmatch(suffix) else ""))
        self.sink = open(up.path, "wb")  # noqa: SIM115 - closed in on_part_end / close

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.sink is not None:
            self.up.size += end - start
            if self.up.size > self.limit:
                raise too_large(self.limit)
            self.sink.write(data[start:end])
        else:
            self.fields += end - start
            if self.fields > MAX_FIELDS_BYTES:
                raise ApiError(f"form fields over {MAX_FIELDS_BYTES // 1024} kB; send shorter queries", 413)
            self.field += data[start:end]

    def on_part_end(self) -> None:
        if self.sink is not None:
            self.close()
        else:
            self.up.fields.setdefault(self.name, []).append(self.field.decode("utf-8", "replace"))
        self.headers = {}

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None


async def receive(request: Any, folder: Path, limit: int) -> Upload:
    """Stream the multipart body of ``request`` into ``folder`` (see module docstring)."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser

    boundary = _check_request(request, limit)
    rx = _Receiver(folder, limit)
    parser = MultipartParser(boundary, rx.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise ApiError("malformed multipart body; send the video as the form field 'file'", 400) from None
    finally:
        rx.close()
    if rx.up.path is None:
        raise ApiError("no video in the request: send it as the multipart form field 'file'", 422)
    return rx.up
