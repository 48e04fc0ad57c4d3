"""Durations and timecodes as the catalogue and EBUCore write them."""

from __future__ import annotations

import re

_ISO = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_CLOCK = re.compile(r"^(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?:[:;.](?P<f>\d{2}))?$")


def to_iso(seconds: int) -> str:
    """592 -> 'PT9M52S' (an xs:duration, as EBUCore's normalPlayTime wants)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text


def to_clock(seconds: int) -> str:
    """592 -> '00:09:52', as the data sheet shows it."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def parse_seconds(text: str) -> int | None:
    """Whole seconds from an xs:duration or a clock/timecode; None if neither.

    Fractions are rounded to the nearest second, frames are dropped: the catalogue
    keeps durations in exact seconds.
    """
    text = text.strip()
    match = _ISO.match(text)
    if match and text not in ("P", "PT"):
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        total = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
        return round(total)
    match = _CLOCK.match(text)
    if match:
        return int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"])
    return None


def is_timecode(text: str) -> bool:
    """True for SMPTE-like 'hh:mm:ss:ff' timecodes (EBUCore ``timecode``)."""
    return re.fullmatch(r"\d{2}:\d{2}:\d{2}[:;.]\d{2}", text) is not None


def to_extent(seconds: int) -> str:
    """592 -> '9 min., 52 sec.': a running time as library catalogues write it (RDA)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = (f"{hours} hr." if hours else "", f"{minutes} min." if minutes else "",
             f"{secs} sec." if secs else "")  # fmt: skip
    return ", ".join(part for part in parts if part)
