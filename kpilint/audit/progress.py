"""A one-line progress status on stderr for audits that take a while.

Short audits print nothing (a flash of status is noise), so the line appears
only once ``delay`` seconds have passed. It is for people at a terminal: a pipe,
a file or CI (``CI`` set) gets nothing, so logs stay clean. The line is drawn by
a background thread because loading and checking give no ticks of their own.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import IO

_SPINNER = "|/-\\"


def wanted(stream: IO[str], env: Mapping[str, str] | None = None) -> bool:
    """Progress belongs on an interactive terminal only, never in CI."""
    env = os.environ if env is None else env
    if env.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Call it with what is happening; ``close`` (or leaving ``with``) wipes the line."""

    def __init__(
        self,
        stream: IO[str],
        *,
        enabled: bool = True,
        delay: float = 1.0,
        interval: float = 0.1,
        label: str = "kpilint audit",
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.label = label
        self.message = "starting"
        self.drawn = False
        self._start = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __call__(self, message: str) -> None:
        self.message = message
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kpilint-progress", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        tick = 0
        while not self._stop.wait(self.interval):
            elapsed = time.monotonic() - self._start
            if elapsed < self.delay:
                continue
            with self._lock:
                if self._stop.is_set():
                    return
                spin = _SPINNER[tick % len(_SPINNER)]
                self._write(f"\r\x1b[K{spin} {self.label}: {self.message} ({elapsed:.0f}s)")
                self.drawn = True
            tick += 1

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not break the audit
            self._stop.set()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.drawn:
                self._write("\r\x1b[K")
                self.drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
