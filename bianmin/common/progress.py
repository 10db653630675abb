"""A small progress line for long management commands (no dependency, readable in CI logs).

On a terminal it redraws one line; in a log it prints the start and the end only.
"""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, stream=None, label: str = "", width: int = 30):
        self.stream = stream or sys.stdout
        self.label = label
        self.width = width
        self._last = 0.0
        self._shown = False
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def _emit(self, text: str) -> None:
        # Django's OutputWrapper appends a newline unless told otherwise.
        try:
            self.stream.write(text, ending="")
        except TypeError:
            self.stream.write(text)
        self.stream.flush()

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done != total and now - self._last < 0.2:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self._tty:
            self._emit("\r" + line + ("\n" if done == total else ""))
        elif done == total or not self._shown:
            self._emit(line + "\n")
        self._shown = True

    def finish(self) -> None:
        """Nothing to do when update() reached the total; kept for callers that stop early."""
