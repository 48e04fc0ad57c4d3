"""Reading the members of a ZIP archive within bounds, whatever the archive claims.

A ZIP bomb (a few MB holding gigabytes of zeros) must cost neither memory nor the good
members beside it: each member is refused with its reason when it is too large, too
compressed or one too many, and the others are read.  Sizes written in the archive can
lie, so each member is read with a cap as well as judged by its header.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    member_bytes: int = 64 * MIB
    total_bytes: int = 1024 * MIB
    #: Inflated size over compressed size: text compresses 5-20x; zeros 1000x.
    ratio: int = 200
    members: int = 100_000


class MemberRefused(ValueError):
    """A member of an archive not read; the message says which bound it broke."""


def members(
    archive: zipfile.ZipFile, wanted: tuple[str, ...], limits: ArchiveLimits = ArchiveLimits()
) -> Iterator[tuple[str, bytes | MemberRefused]]:
    """(name, content) of each wanted member in name order, or (name, why it was refused)."""
    total = count = 0
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        if info.is_dir() or not name.lower().endswith(wanted):
            continue
        count += 1
        if count > limits.members:
            yield name, MemberRefused(f"more than {limits.members} members in the archive")
            continue
        refusal = _refusal(info, info.file_size, total, limits)
        if refusal is not None:
            yield name, MemberRefused(refusal)
            continue
        try:
            with archive.open(info) as stream:
                data = stream.read(limits.member_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            yield name, MemberRefused(f"unreadable archive member: {error}")
            continue
        refusal = _refusal(info, len(data), total, limits)
        if refusal is not None:
            yield name, MemberRefused(f"{refusal} (more than its header said)")
            continue
        total += len(data)
        yield name, data


def _refusal(info: zipfile.ZipInfo, size: int, total: int, limits: ArchiveLimits) -> str | None:
    if size > limits.member_bytes:
        return f"the member inflates to more than {limits.member_bytes} bytes"
    if size > limits.ratio * max(info.compress_size, 1) and size > MIB:
        return (
            f"the member is compressed {size // max(info.compress_size, 1)} to 1, "
            f"more than {limits.ratio} to 1: a ZIP bomb"
        )
    if total + size > limits.total_bytes:
        return f"the archive inflates to more than {limits.total_bytes} bytes"
    return None
