"""Renderings are kept packed: Zstandard frames primed with a dictionary per format.

A rendering is small (2 to 7 KB) and most of it is the format's own vocabulary:
element names, namespaces, schema locations, fixed attributes.  Compressed alone, a
document that short shrinks about four times; compressed against a dictionary that
already holds that vocabulary, it shrinks ten to twenty times, and Zstandard packs
and unpacks it in microseconds (``bench/packing.py`` measures both, on generated
and on real partner records; docs/performance.md keeps the figures).

A packed rendering is one byte naming its dictionary, then a Zstandard frame.  The
dictionaries are plain XML files in ``catalogue/dictionaries/`` (renderings of
generated records, "raw content" dictionaries, no training) and must never change:
a rendering packed with dictionary 2 needs dictionary 2, byte for byte, for as long
as it is stored.  A new dictionary takes a new number; ``DIGESTS`` holds each file's
SHA-256 and a file that does not match is refused.  Number 0 is no dictionary, for
formats that have none.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zstandard
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

FOLDER = Path(__file__).with_name("dictionaries")
#: Zstandard's level: 3 is its default, where it packs fastest for what it saves.
LEVEL = 3
#: Each dictionary by number: its format and its file's SHA-256.
DIGESTS: dict[int, tuple[str, str]] = {
    1: ("oai_dc", "171dceca4aaad97805c30f23f31da856466ce69882484a6764ad54354c8458cd"),
    2: ("ebucore", "e0b641eebdd6f3e5ce993922da68e5560331c758ee072798bcb2a39ba0e50df5"),
    3: ("edm", "b371b2a1a956d15139b507aff9ef006492d7fecb9aa2b57a01e52cda77f7c8c9"),
    4: ("marcxml", "327925b37f3be0d3dabea00486370a48b7d4e0f0e6af58d317662d312d43f202"),
    5: ("mods", "325a42f6dd6219f4f28a5b85bfb38b8eb7c3d7e0c6516100a42b924f39327b63"),
}
#: The dictionary each format is packed with now.
CURRENT = {prefix: number for number, (prefix, _) in DIGESTS.items()}
PLAIN = 0


class PackingUnknown(ValueError):
    """A stored rendering names a dictionary this Navette does not have."""


@dataclass(frozen=True)
class _Codec:
    compress: Any
    decompress: Any


def dictionary_file(number: int) -> Path:
    prefix, _ = DIGESTS[number]
    return FOLDER / f"{number}-{prefix}.xml"


def _dictionary(number: int) -> zstandard.ZstdCompressionDict | None:
    if number == PLAIN:
        return None
    content = dictionary_file(number).read_bytes()
    expected = DIGESTS[number][1]
    if hashlib.sha256(content).hexdigest() != expected:
        raise PackingUnknown(
            f"{dictionary_file(number)} is not the dictionary number {number} that stored "
            "renderings were packed with: restore it from Navette's source; a new "
            "dictionary takes a new number"
        )
    made = zstandard.ZstdCompressionDict(content, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    made.precompute_compress(level=LEVEL)
    return made


class _Codecs(threading.local):
    """Zstandard's compressors are not to be shared between threads: one set each,
    made at first use from dictionaries read once per process."""

    def __init__(self) -> None:
        self.made: dict[int, _Codec] = {}

    def get(self, number: int) -> _Codec:
        codec = self.made.get(number)
        if codec is None:
            dictionary = _shared_dictionary(number)
            options = {} if dictionary is None else {"dict_data": dictionary}
            compressor = zstandard.ZstdCompressor(
                level=LEVEL, write_dict_id=False, write_checksum=False, **options
            )
            decompressor = zstandard.ZstdDecompressor(**options)
            codec = self.made[number] = _Codec(compressor.compress, decompressor.decompress)
        return codec


def _shared_dictionary(number: int) -> zstandard.ZstdCompressionDict | None:
    if number not in _DICTIONARIES:
        if number != PLAIN and number not in DIGESTS:
            raise PackingUnknown(
                f"a stored rendering was packed with dictionary {number}, which this "
                "Navette does not have: it was written by a newer version"
            )
        _DICTIONARIES[number] = _dictionary(number)
    return _DICTIONARIES[number]


_DICTIONARIES: dict[int, zstandard.ZstdCompressionDict | None] = {}
_CODECS = _Codecs()


def pack(prefix: str, xml: str) -> bytes:
    """The rendering as stored."""
    number = CURRENT.get(prefix, PLAIN)
    return bytes((number,)) + _CODECS.get(number).compress(xml.encode("utf-8"))


def unpack(packed: bytes) -> bytes:
    """The rendering's UTF-8 bytes, as a response sends them."""
    if not packed:
        raise PackingUnknown("a stored rendering is empty: the store is damaged")
    return _CODECS.get(packed[0]).decompress(packed[1:])


class PackedXML(TypeDecorator):
    """A rendering column: packed bytes in the database, text when read.  Written with
    ``pack`` (which needs the format), so a value bound here must already be packed."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> bytes | None:
        if value is None or isinstance(value, bytes):
            return value
        raise TypeError("a rendering is stored packed: write catalogue.packing.pack(prefix, xml)")

    def process_result_value(self, value: Any, dialect) -> str | None:
        return None if value is None else unpack(bytes(value)).decode("utf-8")


class PackedUTF8(TypeDecorator):
    """A rendering read as the UTF-8 bytes a response sends: never decoded to text."""

    impl = LargeBinary
    cache_ok = True

    def process_result_value(self, value: Any, dialect) -> bytes | None:
        return None if value is None else unpack(bytes(value))
