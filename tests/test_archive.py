"""Dataset archives: `snakemake archive`, the MANIFEST, `python -m lifsim verify` and safe extraction."""
from __future__ import annotations

import copy
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import xarray as xr
from conftest import REPO, snakemake, tiny_config

from lifsim.archive import ArchiveError, archive_name, bundle, resolved_text
from lifsim.archive.manifest import MANIFEST, manifest_text, parse_manifest
from lifsim.config import validate_structure
from lifsim.planning import plan


def _members() -> set[str]:
    """What an archive of the tiny run holds: its config, datasets, analysis and figures (PNG only there)."""
    from lifsim.kinds import get as get_kind

    cfg = copy.deepcopy(tiny_config())
    validate_structure(cfg)
    plans = plan(cfg)
    return {"README.txt", "MANIFEST", "config/config.yaml", "config/resolved.json", "environment.json",
            *(f"{stage}/{e}.nc" for stage in ("datasets", "analysis") for e in plans),
            *(f"summaries/{e}.{ext}" for e in plans for ext in ("rst", "json")),
            *(f"figures/{e}{suffix}.png" for e, p in plans.items() for suffix in get_kind(p.kind).figures)}


MEMBERS = _members()


def lifsim_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "workflow")}
    return subprocess.run([sys.executable, "-m", "lifsim", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def resolved_of(cfg: dict) -> str:
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return resolved_text(plan(cfg), cfg["figures"]["formats"])


@pytest.fixture(scope="module")
def archived(tiny_run, tmp_path_factory) -> dict:
    """A copy of the complete tiny run, archived by `snakemake -c1 archive`."""
    folder = tmp_path_factory.mktemp("archived") / "run"
    shutil.copytree(tiny_run, folder, symlinks=True)
    dry = snakemake(folder, "-n", "archive").stdout
    snakemake(folder, "-c1", "archive")
    tars = sorted((folder / "results" / "archive").glob("*.tar"))
    return {"folder": folder, "dry_run": dry, "tar": tars[0], "tars": tars}


@pytest.fixture
def extracted(archived, tmp_path) -> Path:
    return bundle.extract(archived["tar"], tmp_path)


# ---- the rule ----------------------------------------------------------------------------------------------------

@pytest.mark.pipeline
def test_archive_runs_one_job_on_finished_results_and_is_not_part_of_all(tiny_run, archived):
    assert not (tiny_run / "results" / "archive").exists()
    assert "archive" in archived["dry_run"] and "simulate_job" not in archived["dry_run"]
    assert len(archived["tars"]) == 1
    again = snakemake(archived["folder"], "-n", "archive")
    assert "Nothing to be done" in again.stdout + again.stderr


@pytest.mark.pipeline
def test_archive_name_is_the_hash_of_the_resolved_config(archived):
    resolved = resolved_of(tiny_config())
    assert archived["tar"].name == f"{archive_name(resolved)}.tar"
    with tarfile.open(archived["tar"]) as tar:
        top = archived["tar"].name.removesuffix(".tar")
        assert {m.name.removeprefix(top + "/") for m in tar.getmembers()} == MEMBERS
        stored = tar.extractfile(f"{top}/config/resolved.json").read()
        readme = tar.extractfile(f"{top}/README.txt").read().decode()
    for member in MEMBERS:  # each file described: its path on a line, then what it holds
        assert re.search(rf"^  {re.escape(member)}\n      \S", readme, flags=re.MULTILINE), member
    assert "dimensions: duration = 2, I_e = 12" in readme
    assert stored.decode() == resolved
    assert top == "lifsim-" + hashlib.sha256(stored).hexdigest()[:16]


def test_same_parameters_same_name_other_parameters_other_name():
    cfg = tiny_config()
    respelled = copy.deepcopy(cfg)
    respelled["dt"] = "1.0e-4 s"
    respelled["neuron"] = dict(reversed(list(respelled["neuron"].items())))
    assert archive_name(resolved_of(cfg)) == archive_name(resolved_of(respelled))
    for change in (lambda c: c["figures"].__setitem__("dpi", 41), lambda c: c.__setitem__("seed", 1),
                   lambda c: c["figures"].__setitem__("formats", ["png", "pdf"])):
        other = copy.deepcopy(cfg)
        change(other)
        assert archive_name(resolved_of(other)) != archive_name(resolved_of(cfg))


@pytest.mark.pipeline
def test_archiving_the_same_results_twice_gives_the_same_bytes(archived):
    first = archived["tar"].read_bytes()
    snakemake(archived["folder"], "-c1", "--force", "archive")
    assert archived["tar"].read_bytes() == first


# ---- verify --------------------------------------------------------------------------------------------------------

@pytest.mark.pipeline
def test_verify_accepts_the_archive_and_its_extracted_folder(archived, extracted):
    for target in (archived["tar"], extracted):
        out = lifsim_cli("verify", str(target), cwd=archived["folder"])
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(f"OK {extracted.name}: all {len(MEMBERS) - 1} files")


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


@pytest.mark.pipeline
def test_a_flipped_byte_in_any_member_of_the_tar_is_caught(archived, tmp_path):
    data = archived["tar"].read_bytes()
    with tarfile.open(archived["tar"]) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
    assert len(members) == len(MEMBERS)
    damaged = tmp_path / archived["tar"].name
    for member in members:
        rel = member.name.split("/", 1)[1]
        for at in (0, member.size // 2, member.size - 1):
            damaged.write_bytes(flip(data, member.offset_data + at))
            if rel == MANIFEST:  # a damaged MANIFEST no longer parses, or lists a wrong name or digest
                try:
                    assert not bundle.verify(damaged).ok, at
                except ArchiveError:
                    pass
            else:
                report = bundle.verify(damaged)
                assert report.corrupted == [rel] and not report.missing and not report.extra, (rel, at)


@pytest.mark.pipeline
def test_a_flipped_byte_in_any_extracted_file_is_named(extracted):
    files = sorted(p for p in extracted.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert len(files) == len(MEMBERS) - 1
    for path in files:
        original = path.read_bytes()
        path.write_bytes(flip(original, len(original) // 2))
        report = bundle.verify(extracted)
        path.write_bytes(original)
        assert report.corrupted == [path.relative_to(extracted).as_posix()] and not report.missing
    assert bundle.verify(extracted).ok


@pytest.mark.pipeline
def test_verify_names_missing_extra_and_corrupted_files_and_exits_non_zero(archived, extracted):
    (extracted / "datasets" / "fi_curve.nc").unlink()
    (extracted / "figures" / "notes.txt").write_text("not listed\n")
    path = extracted / "analysis" / "coupled_pair.nc"
    path.write_bytes(flip(path.read_bytes(), 100))
    out = lifsim_cli("verify", str(extracted), cwd=archived["folder"])
    assert out.returncode == 1
    assert "1 missing, 1 extra, 1 corrupted" in out.stderr
    for line in ("missing:   datasets/fi_curve.nc", "extra:     figures/notes.txt",
                 "corrupted: analysis/coupled_pair.nc"):
        assert line in out.stderr


def test_verify_of_something_that_is_no_archive_exits_2(tmp_path):
    (tmp_path / "junk.tar").write_bytes(b"not a tar at all" * 100)
    (tmp_path / "folder").mkdir()
    for target in ("junk.tar", "folder", "absent.tar"):
        out = lifsim_cli("verify", target, cwd=tmp_path)
        assert out.returncode == 2 and out.stderr.startswith("lifsim verify: "), out.stderr


def test_manifest_round_trip_and_refusals():
    digests = {"b/x.nc": "0" * 64, "a.txt": "f" * 64}
    text = manifest_text(digests)
    assert text == f"{'f' * 64}  a.txt\n{'0' * 64}  b/x.nc\n" and parse_manifest(text) == digests
    for bad in (text[:-1], text + text, f"{'F' * 64}  a.txt\n", f"{'0' * 63}  a.txt\n", f"{'0' * 64} a.txt\n",
                f"{'0' * 64}  ../a.txt\n", f"{'0' * 64}  /etc/passwd\n", f"{'0' * 64}  a/./b\n", ""):
        with pytest.raises(ArchiveError):
            parse_manifest(bad)


# ---- extraction ----------------------------------------------------------------------------------------------------

@pytest.mark.pipeline
def test_datasets_open_with_xarray_straight_after_extraction(archived, tmp_path):
    out = lifsim_cli("extract", str(archived["tar"]), str(tmp_path), cwd=archived["folder"])
    assert out.returncode == 0, out.stderr
    folder = tmp_path / archived["tar"].name.removesuffix(".tar")
    for stage in ("datasets", "analysis"):
        for path in sorted((folder / stage).glob("*.nc")):
            with xr.open_dataset(path) as ds:
                original = xr.load_dataset(archived["folder"] / "results" / stage / path.name)
                xr.testing.assert_identical(ds.load(), original)
    assert (folder / "figures" / "fi_curve.png").read_bytes()[:4] == b"\x89PNG"


def evil_tar(path: Path, name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> Path:
    with tarfile.open(path, "w") as tar:
        good = tarfile.TarInfo("lifsim-x/README.txt")
        good.size = 3
        tar.addfile(good, io.BytesIO(b"ok\n"))
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        data = b"" if kind != tarfile.REGTYPE else b"evil\n"
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("name, kind, linkname", [
    ("../evil.txt", tarfile.REGTYPE, ""),
    ("lifsim-x/../../evil.txt", tarfile.REGTYPE, ""),
    ("/tmp/evil.txt", tarfile.REGTYPE, ""),
    ("lifsim-x/link", tarfile.SYMTYPE, "../../evil.txt"),
    ("lifsim-x/link", tarfile.SYMTYPE, "/etc/passwd"),
    ("lifsim-x/hard", tarfile.LNKTYPE, "/etc/passwd"),
    ("lifsim-x/fifo", tarfile.FIFOTYPE, ""),
    ("other-top/file.txt", tarfile.REGTYPE, ""),
])
def test_extraction_refuses_members_outside_the_target_folder(tmp_path, name, kind, linkname):
    archive = evil_tar(tmp_path / "evil.tar", name, kind, linkname)
    target = tmp_path / "deep" / "target"
    target.mkdir(parents=True)
    with pytest.raises(ArchiveError, match="refusing member|unsafe member path|one top folder"):
        bundle.extract(archive, target)
    assert list(target.iterdir()) == [] and not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "deep" / "evil.txt").exists()
    out = lifsim_cli("extract", str(archive), str(target), cwd=tmp_path)
    assert out.returncode == 2 and list(target.iterdir()) == []


@pytest.mark.pipeline
def test_the_html_report_goes_in_when_it_exists_listed_and_described(archived, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(archived["folder"], folder, symlinks=True)
    (folder / "results" / "report.html").write_text("<html><body>report</body></html>\n")
    dry = snakemake(folder, "-n", "archive").stdout
    assert "archive" in dry and "simulate_job" not in dry       # the new input reruns the archive only
    snakemake(folder, "-c1", "archive")
    (tar,) = (folder / "results" / "archive").glob("*.tar")
    top = tar.name.removesuffix(".tar")
    with tarfile.open(tar) as t:
        names = {m.name.removeprefix(top + "/") for m in t.getmembers()}
        manifest = parse_manifest(t.extractfile(f"{top}/MANIFEST").read().decode())
        readme = t.extractfile(f"{top}/README.txt").read().decode()
    assert names == MEMBERS | {"report.html"}
    assert manifest["report.html"] == hashlib.sha256((folder / "results" / "report.html").read_bytes()).hexdigest()
    assert "summaries/fi_curve.json" in manifest
    assert re.search(r"^  report.html\n      the HTML report", readme, flags=re.MULTILINE)
    assert re.search(r"^  summaries/fi_curve.rst\n      summary of the measured numbers", readme, flags=re.MULTILINE)
