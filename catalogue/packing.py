"""Renderings are kept packed: Zstandard frames primed with a dictionary per format.

A rendering is small (2 to 7 KB) and most of it is the format's own vocabulary:
element names, namespaces, schema locations, fixed attributes.  Compressed alone, a
document that short shrinks about four times; compressed against a dictionary that
already holds that vocabulary, it shrinks ten to twenty times, and Zstandard packs
and unpacks it in microseconds (``bench/packing.py`` measures both, on generated
and on real partner records; docs/performance.md keeps the figures).

A packed rendering is one byte naming its dictionary, then a Zstandard frame.  The
dictionaries are files in ``catalogue/dictionaries/`` made from generated records'
renderings, and must never change: a rendering packed with dictionary 2 needs
dictionary 2, byte for byte, for as long as it is stored.  A new dictionary takes a
new number; ``DICTIONARIES`` holds each file's SHA-256 and a file that does not match
is refused.  The first five are raw content (plain XML); those after them are trained
by Zstandard and pack every new rendering.  Number 0 is no dictionary, for formats
that have none.
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


@dataclass(frozen=True)
class Dictionary:
    """A dictionary as stored renderings name it, by its number."""

    prefix: str
    #: Its file's SHA-256: the file must never change.
    sha256: str
    #: Trained by Zstandard from generated renderings (a ``.zdict`` file): content the
    #: trainer chose, and the entropy tables a frame then reuses instead of carrying
    #: and decoding its own, so that unpacking is faster (docs/performance.md).
    #: Otherwise raw content (an ``.xml`` file, renderings laid end to end), as the
    #: first five were.
    trained: bool = False

    def file_name(self, number: int) -> str:
        return f"{number}-{self.prefix}.{'zdict' if self.trained else 'xml'}"


DICTIONARIES: dict[int, Dictionary] = {
    1: Dictionary("oai_dc", "171dceca4aaad97805c30f23f31da856466ce69882484a6764ad54354c8458cd"),
    2: Dictionary("ebucore", "e0b641eebdd6f3e5ce993922da68e5560331c758ee072798bcb2a39ba0e50df5"),
    3: Dictionary("edm", "b371b2a1a956d15139b507aff9ef006492d7fecb9aa2b57a01e52cda77f7c8c9"),
    4: Dictionary("marcxml", "327925b37f3be0d3dabea00486370a48b7d4e0f0e6af58d317662d312d43f202"),
    5: Dictionary("mods", "325a42f6dd6219f4f28a5b85bfb38b8eb7c3d7e0c6516100a42b924f39327b63"),
    6: Dictionary(
        "oai_dc", "7aa999b7a0c7d851313f2130807f72825c33673cfdaa429a8e6cf6f764e9802d", trained=True
    ),
    7: Dictionary(
        "ebucore", "7a4bcbde9ab2b9671538c083616cd5a57688c991f8e8fff0d75b18a0dd88c45d", trained=True
    ),
    8: Dictionary(
        "edm", "0a6b67cb8064c2a2e0e64e3fea6a680b9501ae4e797e89a96cdb9104daf8c2e1", trained=True
    ),
    9: Dictionary(
        "marcxml", "965f8f17b95a5bc9b48b3ff40c02087c98057718c0f19ea5c2bf2365c337b325", trained=True
    ),
    10: Dictionary(
        "mods", "7e86070c41b3395bd60f9b749bce0b6ef3404e70a5752a9d5bd453e77656762a", trained=True
    ),
}
#: The dictionary each format is packed with now: its newest (the highest number).
CURRENT = {d.prefix: number for number, d in sorted(DICTIONARIES.items())}
PLAIN = 0


class PackingUnknown(ValueError):
    """A stored rendering names a dictionary this Navette does not have."""


@dataclass(frozen=True)
class _Codec:
    compress: Any
    decompress: Any


def dictionary_file(number: int) -> Path:
    return FOLDER / DICTIONARIES[number].file_name(number)


def _dictionary(number: int) -> zstandard.ZstdCompressionDict | None:
    if number == PLAIN:
        return None
    content = dictionary_file(number).read_bytes()
    described = DICTIONARIES[number]
    if hashlib.sha256(content).hexdigest() != described.sha256:
        raise PackingUnknown(
            f"{dictionary_file(number)} is not the dictionary number {number} that stored "
            "renderings were packed with: restore it from Navette's source; a new "
            "dictionary takes a new number"
        )
    kind = zstandard.DICT_TYPE_FULLDICT if described.trained else zstandard.DICT_TYPE_RAWCONTENT
    made = zstandard.ZstdCompressionDict(content, dict_type=kind)
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
        if number != PLAIN and number not in DICTIONARIES:
            raise PackingUnknown(
                f"a stored rendering was packed with dictionary {number}, which this "
                "Navette does not have: it was written by a newer version"
            )
        _DICTIONARIES[number] = _dictionary(number)
    return _DICTIONARIES[number]


_DICTIONARIES: dict[int, zstandard.ZstdCompressionDict | None] = {}
_CODECS = _Codecs()


def pack(prefix: str, xml: str, dictionary: int | None = None) -> bytes:
    """The rendering as stored: packed with the format's current dictionary, or with
    the one numbered ``dictionary`` (as an earlier Navette packed it)."""
    number = CURRENT.get(prefix, PLAIN) if dictionary is None else dictionary
    return bytes((number,)) + _CODECS.get(number).compress(xml.encode("utf-8"))


def unpack(packed: bytes) -> bytes:
    """The rendering's UTF-8 bytes, as a response sends them."""
    if not packed:
        raise PackingUnknown("a stored rendering is empty: the store is damaged")
    return _CODECS.get(packed[0]).decompress(packed[1:])


def unpack_page(packed: list[bytes | None]) -> list[bytes | None]:
    """Each of a page's renderings unpacked (None stays None), as ``unpack`` would.

    A list page unpacks a thousand renderings of one or two dictionaries: each
    decompressor looked up once per dictionary, not once per row behind a column
    converter, saves some 3,000 instructions a record (4 % of a page of oai_dc)."""
    decompressors: dict[int, Any] = {}
    unpacked: list[bytes | None] = []
    for value in packed:
        if value is None:
            unpacked.append(None)
            continue
        if not value:
            raise PackingUnknown("a stored rendering is empty: the store is damaged")
        number = value[0]
        decompress = decompressors.get(number)
        if decompress is None:
            decompress = decompressors[number] = _CODECS.get(number).decompress
        unpacked.append(decompress(value[1:]))
    return unpacked


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


class PackedBytes(TypeDecorator):
    """A rendering column read as stored, packed, with no converter on each row: a
    page unpacks its renderings together (``unpack_page``)."""

    impl = LargeBinary
    cache_ok = True

    def result_processor(self, dialect, coltype) -> None:
        return None
