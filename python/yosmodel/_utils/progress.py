"""A small progress bar on stderr for the command line (no dependency).

On a terminal the bar appears only once a step has taken longer than ``delay`` seconds and is
redrawn at most ten times a second; elsewhere (a log file, a pipe) a step that took longer than
``delay`` leaves one line saying what it did and how long it took. ``enabled=False`` (``--quiet``)
writes nothing."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

_WIDTH = 28
_REDRAW_SECONDS = 0.1


def _amount(value: float, unit: str) -> str:
    if unit == "B":
        for suffix in ("B", "kB", "MB", "GB", "TB"):
            if value < 1000 or suffix == "TB":
                return f"{value:,.0f} {suffix}" if suffix == "B" else f"{value:,.1f} {suffix}"
            value /= 1000
    return f"{value:,.0f}{' ' + unit if unit else ''}"


class Progress:
    """Progress of one step: ``with Progress("reading x.csv", total=size, unit="B") as p:``
    then ``p.update(done)`` as work completes."""

    def __init__(self, label: str, total: float | None = None, *, unit: str = "",
                 enabled: bool = True, stream: IO[str] | None = None, delay: float = 0.5,
                 clock: Any = time.monotonic):
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self._clock = clock
        self._start = clock()
        self._last_draw: float | None = None
        self.done = 0.0
        self._terminal = enabled and bool(getattr(self.stream, "isatty", lambda: False)())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.finish()
        elif self._last_draw is not None:  # leave the terminal on a fresh line after an error
            self.stream.write("\n")
            self.stream.flush()

    def update(self, done: float) -> None:
        self.done = done
        if not self._terminal:
            return
        now = self._clock()
        if now - self._start < self.delay:
            return
        if self._last_draw is not None and now - self._last_draw < _REDRAW_SECONDS:
            return
        self._draw(now)

    def advance(self, amount: float) -> None:
        self.update(self.done + amount)

    def finish(self) -> None:
        if not self.enabled:
            return
        now = self._clock()
        elapsed = now - self._start
        if self._terminal:
            if self._last_draw is None and elapsed < self.delay:
                return
            if self.total is not None:
                self.done = self.total
            self._draw(now)
            self.stream.write("\n")
        elif elapsed >= self.delay:
            amount = f" ({_amount(self.done, self.unit)})" if self.done else ""
            self.stream.write(f"{self.label}: done{amount} in {elapsed:.1f} s\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._last_draw = now
        elapsed = now - self._start
        if self.total:
            fraction = min(max(self.done / self.total, 0.0), 1.0)
            filled = int(round(fraction * _WIDTH))
            bar = "#" * filled + "-" * (_WIDTH - filled)
            text = (f"{self.label} [{bar}] {fraction:4.0%} "
                    f"{_amount(self.done, self.unit)} of {_amount(self.total, self.unit)}")
        else:
            text = f"{self.label} ... {_amount(self.done, self.unit)}"
        self.stream.write(f"\r{text} {elapsed:.1f} s\x1b[K")
        self.stream.flush()
