"""Progress lines on stderr, one per stage and notebook; silent with ``--quiet``."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sendreport.sanitise import printable


class Progress:
    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:6.1f}s] {printable(message)}", file=self.stream, flush=True)

    def warn(self, message: str) -> None:
        # Warnings are shown even with --quiet: they describe the data, not the progress.
        # Data reaches warnings (column names, values): never send its control characters.
        print(f"warning: {printable(message, keep_lines=True)}", file=self.stream, flush=True)
