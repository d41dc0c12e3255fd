"""`extract` checks every member before it writes a byte, within caps, and leaves nothing behind when it refuses."""
from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import REPO

from lifsim.archive import ArchiveError, bundle, unpack


def make_tar(path: Path, members, mode: str = "w") -> Path:
    """``members``: (name, data bytes | None for a folder | tarfile type) in order."""
    with tarfile.open(path, mode, format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def refused(archive: Path, dest: Path, match: str, **caps) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    before = sorted(dest.rglob("*"))
    with pytest.raises(ArchiveError, match=match):
        bundle.extract(archive, dest, **caps)
    assert sorted(dest.rglob("*")) == before, "something was left behind"


@pytest.mark.parametrize("members, match", [
    ([("lifsim-x/a.txt", b"1"), ("lifsim-x/a.txt", b"2")], "in the archive twice"),
    ([("lifsim-x/a", b"file"), ("lifsim-x/a/b.txt", b"under it")], "both a file and a folder"),
    ([("lifsim-x/a/b.txt", b"1"), ("lifsim-x/a", b"file")], "both a file and a folder"),
    ([("lifsim-x/d", None), ("lifsim-x/d", b"file")], "both a file and a folder"),
    ([("lifsim-x/A.txt", b"1"), ("lifsim-x/a.txt", b"2")], "only in case"),
    ([("lifsim-x/new\nline.txt", b"1")], "control character"),
    ([("lifsim-x/tab\there", b"1")], "control character"),
    ([("lifsim-x/esc\x1b[31m", b"1")], "control character"),
    ([("lifsim-x/" + "n" * 256, b"1")], "longer than 255 bytes"),
    ([("lifsim-x/ok.txt", b"1"), ("lifsim-x/../../evil", b"2")], "unsafe member path"),
])
def test_bad_members_are_refused_after_good_ones_without_writing_any(tmp_path, members, match):
    archive = make_tar(tmp_path / "bad.tar", [("lifsim-x/first.txt", b"written first in the tar\n"), *members])
    refused(archive, tmp_path / "dest", match)


def test_a_file_then_a_folder_of_the_same_name_leaves_nothing_behind(tmp_path):
    # the case: before, this failed half-way and left lifsim-x/ with files in it
    archive = make_tar(tmp_path / "clash.tar", [("lifsim-x/README.txt", b"ok\n"), ("lifsim-x/data", b"a file\n"),
                                                ("lifsim-x/data/inner.nc", b"under the file\n")])
    refused(archive, tmp_path / "dest", "both a file and a folder")
    assert not (tmp_path / "dest" / "lifsim-x").exists()


def test_a_small_gzip_of_2_GiB_of_zeros_is_refused_without_writing_it(tmp_path):
    size = 2 << 30
    archive = tmp_path / "bomb.tar.gz"
    with gzip.open(archive, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w|") as tar:
        info = tarfile.TarInfo("lifsim-x/zeros.bin")
        info.size = size
        tar.addfile(info, _Zeros(size))
    assert archive.stat().st_size < 12 << 20            # a few MB holding 2 GiB
    dest = tmp_path / "dest"
    refused(archive, dest, "would unpack to more than")
    free_before = os.statvfs(tmp_path).f_bavail
    out = subprocess.run([sys.executable, "-m", "lifsim", "extract", str(archive), str(dest)], cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(REPO / "workflow")}, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("lifsim extract: refusing member 'lifsim-x/zeros.bin'")
    assert list(dest.iterdir()) == [] and os.statvfs(tmp_path).f_bavail >= free_before - 1000


class _Zeros(io.RawIOBase):
    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def test_size_and_member_count_caps(tmp_path):
    members = [(f"lifsim-x/f{i}.txt", b"x" * 100) for i in range(20)]
    archive = make_tar(tmp_path / "many.tar", members)
    refused(archive, tmp_path / "a", "more than 10 members", max_members=10)
    refused(archive, tmp_path / "b", "more than 1000 bytes", max_bytes=1000)
    folder = bundle.extract(archive, tmp_path / "c", max_bytes=2000, max_members=20)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"f{i}.txt" for i in range(20))
    assert unpack.MAX_BYTES == 1 << 30 and unpack.MAX_MEMBERS == 10_000


def test_a_compression_ratio_beyond_the_cap_is_refused_once_past_the_free_allowance(tmp_path, monkeypatch):
    monkeypatch.setattr(unpack, "FREE_BYTES", 1000)
    archive = make_tar(tmp_path / "zeros.tar.gz", [("lifsim-x/z.bin", bytes(2_000_000))], mode="w:gz")
    assert archive.stat().st_size * unpack.MAX_RATIO + 1000 < 2_000_000
    refused(archive, tmp_path / "dest", "100 x the compressed size")


def test_a_good_archive_with_folders_extracts_whole(tmp_path):
    archive = make_tar(tmp_path / "good.tar", [("lifsim-x", None), ("lifsim-x/sub", None), ("lifsim-x/sub/a.txt", b"a"),
                                               ("lifsim-x/b.txt", b"b")])
    folder = bundle.extract(archive, tmp_path / "dest")
    assert (folder / "sub" / "a.txt").read_bytes() == b"a" and (folder / "b.txt").read_bytes() == b"b"
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == ["lifsim-x"]   # no staging folder left
    refused(archive, tmp_path / "dest", "exists already")
