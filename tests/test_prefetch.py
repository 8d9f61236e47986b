"""Background threads of vidgist.media.prefetch: order, errors, early stop, no leaked threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator

import pytest

from vidgist.media.prefetch import FeedWorker, prefetch


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("vidgist-")}


def test_prefetch_keeps_order_and_runs_ahead() -> None:
    produced: list[int] = []

    def gen() -> Iterator[int]:
        for i in range(200):
            produced.append(i)
            yield i

    it = prefetch(gen, depth=8)
    assert next(it) == 0
    time.sleep(0.2)
    assert 5 <= len(produced) <= 11  # ahead of the consumer, but bounded by depth
    assert list(it) == list(range(1, 200))
    assert not _threads()


def test_prefetch_reraises_the_producer_error_in_place() -> None:
    def gen() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("corrupt frame")

    got = []
    with pytest.raises(ValueError, match="corrupt frame"):
        for x in prefetch(gen, depth=4):
            got.append(x)
    assert got == [1, 2]
    assert not _threads()


def test_prefetch_early_stop_closes_the_producer() -> None:
    closed = threading.Event()

    def gen() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()  # e.g. the video container is closed

    for x in prefetch(gen, depth=4):
        if x == 3:
            break
    assert closed.wait(2.0)
    assert not _threads()
    with pytest.raises(ValueError):
        list(prefetch(gen, depth=0))


def test_feed_worker_consumes_behind_and_returns() -> None:
    def total(items: Iterable[int]) -> int:
        return sum(items)

    w: FeedWorker[int, int] = FeedWorker(total)
    for i in range(1000):
        w.put(i)
    assert w.result() == sum(range(1000))
    with pytest.raises(RuntimeError):
        w.put(1)
    assert not _threads()


def test_feed_worker_error_and_close_without_result() -> None:
    def fail_at_3(items: Iterable[int]) -> int:
        for i in items:
            if i == 3:
                raise KeyError("bad frame")
        return 0

    w: FeedWorker[int, int] = FeedWorker(fail_at_3)
    for i in range(10):
        w.put(i)  # puts after the failure are drained, never block
    with pytest.raises(KeyError):
        w.result()
    w2: FeedWorker[int, int] = FeedWorker(lambda items: sum(items))
    w2.put(1)
    w2.close()  # cleanup path: no exception, thread gone
    assert not _threads()


def test_background_result_error_and_cancel_joins() -> None:
    from vidgist.media.prefetch import Background

    assert Background(lambda stop: 41 + 1).result() == 42
    with pytest.raises(ZeroDivisionError):
        Background(lambda stop: 1 // 0).result()

    def long_job(stop: threading.Event) -> int:
        n = 0
        while not stop.is_set():  # polls, as speech recognition does between segments
            time.sleep(0.01)
            n += 1
        return n

    job = Background(long_job, name="vidgist-test-job")
    time.sleep(0.05)
    t0 = time.perf_counter()
    job.cancel()
    assert not _threads()  # the thread has ended when cancel returns (nothing runs on at exit)
    assert time.perf_counter() - t0 < 0.5  # the job polls, so the wait is short
    assert job.result() >= 1  # the job saw the request and ended


def test_background_wait_times_out_while_running() -> None:
    from vidgist.media.prefetch import Background

    release = threading.Event()
    job = Background(lambda stop: release.wait(5.0) and 7, name="vidgist-test-job")
    t0 = time.perf_counter()
    assert job.wait(0.05) is False and time.perf_counter() - t0 < 1.0
    release.set()
    assert job.wait(5.0) is True and job.result() == 7


def test_feed_worker_cancel_drops_unread_items() -> None:
    from vidgist.media.prefetch import FeedWorker

    seen: list[int] = []

    def slow(items: Iterable[int]) -> int:
        for x in items:
            seen.append(x)
            time.sleep(0.05)
        return len(seen)

    w = FeedWorker(slow, name="vidgist-test-feed")
    for i in range(100):  # 5 s of work if all were read
        w.put(i)
    time.sleep(0.02)
    t0 = time.perf_counter()
    w.cancel()
    assert time.perf_counter() - t0 < 1.0 and len(seen) < 10
    assert not _threads()


def test_speech_stops_when_asked(narrated_demo) -> None:
    """A set stop event ends transcription: nothing is decoded, no error."""
    from vidgist.summarize.evidence import _transcribe

    video, _ = narrated_demo
    stop = threading.Event()
    stop.set()
    assert _transcribe(video, "tiny.en", stop) == []
    assert len(_transcribe(video, "tiny.en", threading.Event())) >= 2
