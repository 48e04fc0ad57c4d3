"""ZIP archives are read within bounds: a bomb is refused with its reason, and the good
record beside it goes in, in `navette import` and `navette validate` alike."""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner

from ingest.archives import ArchiveLimits, MemberRefused, members
from ingest.importing import import_paths
from navette.cli import main
from tests.conftest import navette_under_2_gib, requires_schemas

pytestmark = requires_schemas

MIB = 1024 * 1024


def zip_with_bomb(path, seed_data, zeros: int, level: int = 9):
    """An archive: one good native record, then ``zeros`` bytes of zeros as a .jsonl."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("a-good.jsonl", json.dumps(seed_data) + "\n")
        with archive.open("b-bomb.jsonl", "w", force_zip64=True) as bomb:
            chunk = bytes(16 * MIB)
            for _ in range(zeros // len(chunk)):
                bomb.write(chunk)
    return path


def test_a_bomb_member_is_refused_and_the_good_record_beside_it_goes_in(
    sessions, seed_data, tmp_path
):
    archive = zip_with_bomb(tmp_path / "drop.zip", seed_data, 128 * MIB)
    report = import_paths(sessions, [archive])
    assert report.counts["new"] == 1
    [rejected] = report.rejected
    assert str(rejected.location).endswith("drop.zip!b-bomb.jsonl")
    assert "inflates to more than" in rejected.reason


def test_a_member_too_compressed_is_refused_as_a_bomb(tmp_path):
    path = tmp_path / "dense.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.xml", bytes(8 * MIB))
    with zipfile.ZipFile(path) as archive:
        [(_name, refused)] = list(members(archive, (".xml",)))
    assert isinstance(refused, MemberRefused) and "a ZIP bomb" in str(refused)


def test_members_past_the_count_and_total_bounds_are_refused(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(5):
            archive.writestr(f"{number}.xml", b"<a/>" * 100)
    with zipfile.ZipFile(path) as archive:
        read = dict(members(archive, (".xml",), ArchiveLimits(members=3)))
        assert [isinstance(v, MemberRefused) for v in read.values()] == [False] * 3 + [True] * 2
        read = dict(members(archive, (".xml",), ArchiveLimits(total_bytes=1000)))
        assert "archive inflates to more than 1000" in str(read["2.xml"])


def test_validate_reports_the_bomb_and_checks_the_rest(seed_data, tmp_path):
    archive = zip_with_bomb(tmp_path / "drop.zip", seed_data, 128 * MIB)
    result = CliRunner().invoke(main, ["validate", str(archive), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    [invalid] = report["invalid_documents"]
    assert invalid["file"].endswith("b-bomb.jsonl")
    assert "inflates to more than" in invalid["findings"][0]["reason"]


@pytest.mark.parametrize("command", ["import", "validate"])
def test_a_3_gib_bomb_is_refused_within_a_2_gib_address_space(seed_data, tmp_path_factory, command):
    folder = tmp_path_factory.mktemp("bomb")
    archive = zip_with_bomb(folder / "drop.zip", seed_data, 3 << 30, level=1)
    env = {"NAVETTE_DATABASE_URL": f"sqlite:///{folder / 'bomb.db'}"}
    done = navette_under_2_gib(command, str(archive), env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "MemoryError" not in done.stdout + done.stderr
    assert "inflates to more than" in done.stdout + done.stderr
    if command == "import":
        assert "1 new" in done.stdout + done.stderr
