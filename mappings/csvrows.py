"""CSV records read one by one, each with the line it starts on; a broken record costs
only itself.

Python's csv module, left to itself, lets an unbalanced quote swallow every following
row into one field, and gives up on the file at the first error.  Read strictly, a
quote that does not close where a field ends is an error; the record is then reported
at its first line and reading starts again on the line after it, so every other row
goes in as itself.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator


class _Lines:
    """The source's lines, numbered, with the ones of a broken record to read again."""

    def __init__(self, source: Iterable[str]) -> None:
        self.source = iter(source)
        self.count = 0
        self.again: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.again:
            number, line = self.again.popleft()
        else:
            line = next(self.source)
            self.count += 1
            number = self.count
        self.taken.append((number, line))
        return line

    def start_record(self) -> None:
        self.taken = []

    def read_again_after_first(self) -> int:
        """Put back the lines of the record just read but its first; that first's number."""
        first = self.taken[0][0] if self.taken else self.count
        self.again.extendleft(reversed(self.taken[1:]))
        return first


def records(source: Iterable[str]) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """(first line number, fields) of each non-blank record, or (line, the error)."""
    lines = _Lines(source)
    reader = csv.reader(lines, strict=True)
    while True:
        lines.start_record()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield lines.read_again_after_first(), error
            continue
        if fields:
            yield lines.taken[0][0], fields
