"""Progress lines on stderr for anything that waits.

stdout carries only the final report (human text or ``--json``) so pipelines can parse it;
progress goes to stderr with the elapsed time so a CodeBuild log shows where a deployment is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Writes ``[  42s] message`` lines; silent when ``quiet`` is set."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._quiet = quiet
        self._clock = clock
        self._start = clock()

    def __call__(self, message: str) -> None:
        """Emit one progress line."""
        if self._quiet:
            return
        elapsed = self._clock() - self._start
        self._stream.write(f"[{elapsed:5.0f}s] {message}\n")
        self._stream.flush()


def silent(_message: str) -> None:
    """A progress sink that discards everything (library callers that want no output)."""
