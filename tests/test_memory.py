"""vidgist.util.memory: freed heap pages go back to the OS (glibc), so RSS does not creep with length."""

from __future__ import annotations

import platform

import numpy as np
import psutil
import pytest

from vidgist.util.memory import release_free_memory


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's"
)
def test_release_returns_freed_heap_pages() -> None:
    proc = psutil.Process()
    release_free_memory()
    base = proc.memory_info().rss
    # 2,000 blocks of 125 KB (below glibc's mmap threshold, so they live in the heap); freeing all but
    # the last leaves ~250 MB of free pages under it that glibc keeps
    blocks = [np.ones(16_000, dtype=np.float64) for _ in range(2_000)]
    keep = blocks[-1]
    del blocks
    before = proc.memory_info().rss
    assert before - base > 200 * 2**20, "the freed blocks were not kept by the heap; test is moot"
    assert release_free_memory() is True
    after = proc.memory_info().rss
    assert keep.sum() == 16_000
    assert before - after > 200 * 2**20, (base, before, after)


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)
def test_hold_keeps_a_freed_large_buffer_for_the_next_one() -> None:
    import resource

    from vidgist.util.memory import hold_freed_memory

    def faults() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    assert hold_freed_memory() is True
    first = np.ones(8_000_000)  # 64 MB: now from the heap, and kept there when freed
    del first
    before = faults()
    second = np.ones(8_000_000)
    # without the hold the buffer is a fresh mmap: about 300 faults with huge pages, 16k without
    assert faults() - before < 30 and second.sum() == 8_000_000
    del second
    assert release_free_memory() is True  # and the pages can still be given back
