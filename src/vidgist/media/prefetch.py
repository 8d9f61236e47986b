"""Background threads that overlap work with the caller's: ``prefetch`` (produce ahead),
``FeedWorker`` (consume behind) and ``Background`` (one call, cancellable).

No thread outlives its owner: every error path ends and joins the threads (see ``Background``).

``prefetch(make_iter, depth)`` yields what ``make_iter()`` yields, in order, while a daemon thread
produces up to ``depth`` items ahead. Used to decode video (PyAV releases the GIL while decoding)
while the frame model runs (ONNX Runtime releases it too). An exception in the producer is re-raised
in the consumer at the same position; when the consumer stops early (break, exception, garbage
collection) the producer is told to stop and is joined, so no thread outlives the loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _put(q: queue.Queue[object], stop: threading.Event, item: object) -> bool:
    """Put ``item`` on ``q``, waiting while it is full; False (not put) once ``stop`` is set."""
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _produce(make_iter: Callable[[], Iterable[T]], q: queue.Queue[object], stop: threading.Event) -> None:
    """The producer thread of ``prefetch``: items, then ``_DONE`` or a ``_Failure``; the iterator is
    closed on every exit (a generator's finally blocks run here)."""
    it: Iterator[T] | None = None
    try:
        it = iter(make_iter())
        for item in it:
            if not _put(q, stop, item):
                return
    except BaseException as exc:  # noqa: BLE001 - handed to the consumer, re-raised there
        _put(q, stop, _Failure(exc))
        return
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            close()  # a generator's finally blocks (e.g. closing the video file) run here
    _put(q, stop, _DONE)


def prefetch(make_iter: Callable[[], Iterable[T]], depth: int = 64) -> Generator[T, None, None]:
    """Items of ``make_iter()`` produced in a background thread, at most ``depth`` ahead (see module doc)."""
    if depth < 1:
        raise ValueError(f"depth={depth}: must be >= 1")
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    worker = threading.Thread(
        target=_produce, args=(make_iter, q, stop), name="vidgist-prefetch", daemon=True
    )
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


class FeedWorker(Generic[T, R]):
    """Runs ``fn(items)`` in a thread while the caller feeds ``items`` one by one with ``put``.

    ``result()`` ends the feed, waits for ``fn`` and returns its value (or raises its exception);
    ``close()`` ends the feed and waits without raising; ``cancel()`` also drops the items ``fn`` has
    not read yet, so ``fn`` ends after the item in hand (for error paths). The feed is unbounded:
    callers bound what they put.
    """

    def __init__(self, fn: Callable[[Iterable[T]], R], name: str = "vidgist-worker") -> None:
        self._q: queue.Queue[object] = queue.Queue()
        self._out: list[R] = []
        self._err: list[BaseException] = []
        self._closed = False
        self._cancelled = threading.Event()
        ended = threading.Event()

        def items() -> Iterator[T]:
            while True:
                item = self._q.get()
                if item is _DONE:
                    ended.set()
                    return
                if self._cancelled.is_set():
                    continue  # dropped: the loop runs on to _DONE
                yield item  # type: ignore[misc]

        def run() -> None:
            try:
                self._out.append(fn(items()))
            except BaseException as exc:  # noqa: BLE001 - re-raised by result()
                self._err.append(exc)
            finally:
                while not ended.is_set() and self._q.get() is not _DONE:  # drain what fn did not read
                    pass

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def put(self, item: T) -> None:
        """Hand one item to ``fn``."""
        if self._closed:
            raise RuntimeError("FeedWorker: put() after result()/close()")
        self._q.put(item)

    def close(self) -> None:
        """End the feed and wait for ``fn`` to finish."""
        if not self._closed:
            self._closed = True
            self._q.put(_DONE)
        self._thread.join()

    def cancel(self) -> None:
        """Drop what ``fn`` has not read, end the feed and wait for ``fn`` to finish."""
        self._cancelled.set()
        self.close()

    def result(self) -> R:
        """End the feed, wait, and return ``fn``'s value (re-raising its exception)."""
        self.close()
        if self._err:
            raise self._err[0]
        return self._out[0]


class Background(Generic[R]):
    """Runs ``fn(stop)`` in a daemon thread, where ``stop`` is a ``threading.Event`` ``fn`` should poll.

    ``result()`` waits and returns ``fn``'s value (or raises its exception). ``cancel()`` sets ``stop``
    and waits for ``fn`` to return: used on error paths, so no thread (nor the native library it is
    running: CTranslate2, ONNX Runtime, FFmpeg) is left running when the process exits, which aborted
    the interpreter ("terminate called without an active exception"). ``fn`` should poll ``stop`` often
    (between packets or segments) so the wait stays short.
    """

    def __init__(self, fn: Callable[[threading.Event], R], name: str = "vidgist-background") -> None:
        self.stop = threading.Event()
        self._out: list[R] = []
        self._err: list[BaseException] = []

        def run() -> None:
            try:
                self._out.append(fn(self.stop))
            except BaseException as exc:  # noqa: BLE001 - re-raised by result()
                self._err.append(exc)

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def result(self) -> R:
        """Wait for ``fn``; return its value or raise its exception."""
        self._thread.join()
        if self._err:
            raise self._err[0]
        return self._out[0]

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for ``fn``; True once it has returned (or raised)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def cancel(self) -> None:
        """Ask ``fn`` to stop (sets ``stop``) and wait until it has; its value or error is dropped."""
        self.stop.set()
        self._thread.join()
