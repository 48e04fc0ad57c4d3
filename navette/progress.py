"""A running count on a terminal: what a long command is doing, as it does it.

Only on a terminal (stderr): in a pipe or a log, a bar's redrawn lines would be noise,
and the command's own report says what it did.
"""

from __future__ import annotations

import sys


class TerminalCount:
    """A count with its rate (tqdm) on a terminal; nothing elsewhere."""

    def __init__(self, desc: str, unit: str, stream=None) -> None:
        stream = stream or sys.stderr
        self.bar = None
        if stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(desc=desc, unit=unit, file=stream)

    def add(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def to(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> TerminalCount:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
