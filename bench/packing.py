"""Packed renderings (``catalogue.packing``): bytes and microseconds a rendering.

    python bench/packing.py [--records 2000] [--write-dictionaries]

Two sets of renderings, in one run:
* generated records (``tests.generated``, the records every other bench stores), as
  Navette renders them;
* real records nobody here wrote: every EBUCore, oai_dc, MARCXML, MODS and EDM
  document in ``../shared/examples`` that Navette imports, as Navette renders them
  once imported (read back from a real store).
For each format: the text's size, Zstandard alone, Zstandard with the format's
dictionary (what is stored), and the microseconds to pack and to unpack a rendering.

The dictionaries themselves are made from generated records' renderings (laid end to
end, or trained on by Zstandard): ``--write-dictionaries`` writes the files
``catalogue.packing.DICTIONARIES`` names that do not exist yet (never one that does:
stored renderings need it unchanged) and prints their digests.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.wiring import configure_schemas  # noqa: E402
from catalogue import packing  # noqa: E402
from mappings.formats import FORMATS, render  # noqa: E402
from mappings.publication import Publication  # noqa: E402
from tests.generated import generate  # noqa: E402

EXAMPLES = ROOT.parent / "shared" / "examples"
#: What the dictionaries' records are published with: a site and a rights statement, as
#: a deployment that serves EDM has.
PUBLISHED = Publication(
    site_url="https://navette.example.org",
    default_rights="http://rightsstatements.org/vocab/InC/1.0/",
)
#: Generated records a raw-content dictionary holds, and a trained one is trained on,
#: from a seed no bench stores.
RAW_RECORDS, TRAINING_RECORDS, DICTIONARY_SEED = 3, 2000, 97
#: A trained dictionary's size.  At 8 KB real records (``../shared/examples``) pack
#: within 0-3.5 % of the raw-content dictionaries' size; larger ones shrink generated
#: records further and real ones less (16 KB: +2-7 %, 32 KB: +3-10 %).
TRAINED_BYTES = 8192


def dictionary_content(number: int) -> bytes:
    """Dictionary ``number`` as ``packing.DICTIONARIES`` describes it, made again."""
    described = packing.DICTIONARIES[number]
    count = TRAINING_RECORDS if described.trained else RAW_RECORDS
    renderings = [
        render(record, described.prefix, PUBLISHED).encode("utf-8")
        for record in generate(count, seed=DICTIONARY_SEED)
    ]
    if not described.trained:
        return b"".join(renderings)
    trained = zstandard.train_dictionary(TRAINED_BYTES, renderings, level=packing.LEVEL, threads=0)
    return trained.as_bytes()


def write_dictionaries() -> None:
    """Writes each dictionary file that does not exist yet (never one that does) and
    prints every file's digest, for ``packing.DICTIONARIES``."""
    packing.FOLDER.mkdir(exist_ok=True)
    for number, described in packing.DICTIONARIES.items():
        path = packing.dictionary_file(number)
        if not path.exists():
            path.write_bytes(dictionary_content(number))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f'    {number}: Dictionary("{described.prefix}", "{digest}"),')


def generated(count: int) -> dict[str, list[str]]:
    made = defaultdict(list)
    for record in generate(count, seed=11):
        for prefix in FORMATS:
            made[prefix].append(render(record, prefix, PUBLISHED))
    return made


def real() -> dict[str, list[str]]:
    """Navette's renderings of the real example records, read back from a store."""
    from sqlalchemy import select

    from catalogue.database import open_store
    from catalogue.tables import Rendering
    from ingest.importing import import_paths

    files = [
        path
        for folder in ("fidelity", "partners", "marcxml", "edm", "ebucore")
        for path in sorted((EXAMPLES / folder).rglob("*.xml"))
    ]
    made = defaultdict(list)
    with tempfile.TemporaryDirectory() as folder:
        sessions = open_store(f"sqlite:///{folder}/real.db")
        for path in files:
            import_paths(sessions, [path])
        with sessions() as session:
            for prefix, xml in session.execute(select(Rendering.prefix, Rendering.xml)):
                made[prefix].append(xml)
    return made


def measure(label: str, renderings: dict[str, list[str]]) -> None:
    print(f"\n{label}\n")
    print(
        "| format | renderings | text bytes | Zstandard alone | packed (dictionary) "
        "| / text | pack µs | unpack µs |"
    )
    print("|---|---|---|---|---|---|---|---|")
    plain = zstandard.ZstdCompressor(level=packing.LEVEL)
    for prefix, texts in sorted(renderings.items()):
        encoded = [text.encode("utf-8") for text in texts]
        size = sum(map(len, encoded)) / len(encoded)
        alone = sum(len(plain.compress(data)) for data in encoded) / len(encoded)
        start = time.perf_counter()
        packed = [packing.pack(prefix, text) for text in texts]
        packing_us = (time.perf_counter() - start) / len(texts) * 1e6
        start = time.perf_counter()
        for blob in packed:
            packing.unpack(blob)
        unpacking_us = (time.perf_counter() - start) / len(texts) * 1e6
        stored = sum(map(len, packed)) / len(packed)
        print(
            f"| {prefix} | {len(texts)} | {size:,.0f} | {alone:,.0f} | {stored:,.0f} "
            f"| {stored / size:.3f} | {packing_us:.1f} | {unpacking_us:.1f} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--write-dictionaries", action="store_true")
    args = parser.parse_args()
    configure_schemas()
    if args.write_dictionaries:
        write_dictionaries()
        return 0
    measure(f"{args.records} generated records", generated(args.records))
    if EXAMPLES.is_dir():
        measure("real example records (../shared/examples), as Navette renders them", real())
    else:
        print(f"\n{EXAMPLES} is absent: the real records are not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
