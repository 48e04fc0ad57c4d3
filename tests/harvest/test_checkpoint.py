"""The checkpoint a harvest stores with every page (harvester.checkpoint)."""

from __future__ import annotations

from harvester.checkpoint import Checkpoint


def test_a_checkpoint_reads_back_what_it_stored():
    checkpoint = Checkpoint("ebucore", "2024-03-01", ["a", None], "2024-03-02T00:00:00Z", 1,
                            "token", {"new": 3})  # fmt: skip
    assert Checkpoint.from_json(checkpoint.as_json()) == checkpoint
    assert checkpoint.as_json()["from"] == "2024-03-01", "the key earlier versions stored"
