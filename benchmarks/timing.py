"""Timing helpers shared by the peer benchmarks: medians over repeats, and peak memory of one
call measured by resetting the kernel's high-water mark (Linux)."""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator


def median_seconds(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def peak_extra_bytes(work: Callable[[], Any]) -> int | None:
    """Peak resident memory during `work` above the resident memory before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        before = _status("VmRSS")
        work()
        return _status("VmHWM") - before
    except (OSError, RuntimeError):
        return None


@contextmanager
def time_inside(module: Any, names: list[str], methods: list[tuple[type, str]]) -> Iterator[list]:
    """Wraps the compiled functions `names` of `module` and `methods` (class, name) so that the
    seconds spent inside them are summed into the yielded list's one element; the originals are
    restored on exit. What a call spends outside them is the Python layer's overhead."""
    spent = [0.0]

    def timed(f: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
        return call

    saved = [(module, n, getattr(module, n)) for n in names]
    saved += [(cls, n, getattr(cls, n)) for cls, n in methods]
    try:
        for owner, name, original in saved:
            setattr(owner, name, timed(original))
        yield spent
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
