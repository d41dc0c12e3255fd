"""End-to-end integrity: checksummed NetCDF files, damaged inputs stopping the run before anything is deleted,
the archive refusing damaged files, `verify --deep`, durable writes, and the run's science warnings on the console.

The pipeline tests run the real snakemake on copies of the tiny run (tests/conftest.py).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr
from conftest import REPO, snakemake

from lifsim import io
from lifsim.archive import bundle
from lifsim.archive.manifest import MANIFEST

SIM = "results/simulations/coupled_pair/base.nc"
DATASET = "results/datasets/coupled_pair.nc"


def flip_in_variable(path: Path) -> str:
    """Flip one bit in the stored values of an uncompressed float64 variable (the file's bytes, in place).

    The variable is the first (mean_isi if there is one) whose first two values occur once in the file;
    its name is returned.
    """
    data = bytearray(path.read_bytes())
    with netCDF4.Dataset(path) as nc:
        names = sorted(nc.variables, key=lambda n: n != "mean_isi")
        for name in names:
            var = nc[name]
            if var.ndim and var.size >= 2 and var.dtype == np.float64 and not var.filters()["zlib"]:
                raw = np.ascontiguousarray(var[...]).ravel()[:2].tobytes()
                if bytes(data).count(raw) == 1:
                    break
        else:
            raise AssertionError(f"no variable of {path} to damage")
    at = bytes(data).find(raw)
    data[at + 6] ^= 0x10          # a low bit of the exponent: 55.0 becomes 13.75, still a plausible number
    path.write_bytes(bytes(data))
    return name


def damage(path: Path, how: str) -> None:
    if how == "flipped byte":
        flip_in_variable(path)
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(b"not a NetCDF file\n")


@pytest.fixture
def run_copy(tiny_run, tmp_path) -> Path:
    folder = tmp_path / "run"
    shutil.copytree(tiny_run, folder, symlinks=True)
    return folder


def lifsim_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("lifsim:")]


# ---- the files themselves ------------------------------------------------------------------------------------------

@pytest.mark.pipeline
def test_every_netcdf_file_of_a_run_carries_checksums_on_every_array(tiny_run):
    files = sorted((tiny_run / "results").rglob("*.nc"))
    assert len(files) > 30
    for path in files:
        assert io.check_netcdf(path) > 0          # require_checksums: every non-scalar variable has Fletcher-32
        with netCDF4.Dataset(path) as nc:
            assert all(v.filters()["fletcher32"] for v in nc.variables.values() if v.ndim), path


@pytest.mark.parametrize("how", ["flipped byte", "truncated", "not NetCDF"])
def test_a_damaged_file_is_one_error_naming_it_and_the_regenerate_command(tmp_path, how):
    ds = xr.Dataset({"mean_isi": ("train", np.array([55.0, 61.5, 70.25])), "x": 1.0},
                    coords={"train": [0, 1, 2]})
    path = tmp_path / "results" / "datasets" / "d.nc"
    io.write_dataset(ds, path)
    xr.testing.assert_identical(io.read_dataset(path), ds)
    damage(path, how)
    for read in (io.read_dataset, io.read_variables, io.check_netcdf):
        with pytest.raises(io.IntegrityError) as info:
            read(path)
        text = str(info.value)
        assert text.startswith(f"damaged file {path} (") and "\n" not in text, text
        assert f"snakemake -c4 --forcerun {path}" in text


def test_read_variables_gives_what_read_dataset_gives_for_every_file_of_a_run(tiny_run):
    """The simulation jobs read their inputs with netCDF4 alone: the same content as xarray reads."""
    from lifsim.dataset import to_dataset, values

    files = sorted((tiny_run / "results").rglob("*.nc"))
    for path in files:
        content = io.read_variables(path)
        xr.testing.assert_identical(to_dataset(content), io.read_dataset(path))
    reference = next(p for p in files if "convergence/reference" in str(p))
    content = io.read_variables(reference)
    assert values(content, "V").dtype == np.float64 and "time" in content["coords"]
    assert content["data_vars"]["spike_count"][2]["sample_dimension"] == "spike"


def test_writes_fsync_the_file_and_its_folder_before_and_after_the_rename(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    io.write_text("x\n", tmp_path / "a.txt")
    assert len(synced) == 2 and re.search(r"/\.a\.txt\..*\.part$", synced[0]) and synced[1] == str(tmp_path)


def test_a_job_reading_a_damaged_file_fails_with_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "bad.nc"
    path.write_bytes(b"junk")
    script = (f"import sys; sys.path.insert(0, {str(REPO / 'workflow')!r})\nfrom lifsim import io\n"
              f"with io.job_log({str(tmp_path / 'job.log')!r}):\n    io.read_dataset({str(path)!r})\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert lifsim_lines(out.stderr) == [f"lifsim: {io.IntegrityError(path, 'NetCDF: Unknown file format')}"]
    assert "job failed: damaged file" in (tmp_path / "job.log").read_text()


# ---- the run -------------------------------------------------------------------------------------------------------

@pytest.mark.pipeline
@pytest.mark.parametrize("how", ["flipped byte", "truncated", "not NetCDF"])
def test_a_damaged_simulation_stops_the_run_naming_it_and_keeps_the_good_dataset(run_copy, how):
    good = (run_copy / DATASET).read_bytes()
    damage(run_copy / SIM, how)
    for target in ([], ["archive"]):
        proc = snakemake(run_copy, "-c1", *target, check=False)
        text = proc.stdout + proc.stderr
        assert proc.returncode == 1 and "Traceback" not in text, text[-3000:]
        lines = lifsim_lines(proc.stderr)
        assert len(lines) == 1 and lines[0].startswith(f"lifsim: damaged file {SIM} ("), lines
        assert f"regenerate it: snakemake -c4 --forcerun {SIM} " in lines[0]
        assert (run_copy / DATASET).read_bytes() == good          # not deleted, not rewritten
        assert "rule gather_experiment" not in text                # no job started
        assert not (run_copy / "results" / "archive").exists()
    # the command the message gives repairs the run (with -c1 here)
    snakemake(run_copy, "-c1", "--forcerun", SIM)
    assert io.check_netcdf(run_copy / SIM) > 0
    assert (run_copy / DATASET).read_bytes() == good               # same parameters, same bytes


@pytest.mark.pipeline
def test_without_the_handlers_the_job_itself_stops_with_one_line(run_copy):
    damage(run_copy / SIM, "flipped byte")
    proc = snakemake(run_copy, "-c1", "--no-hooks", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    lines = lifsim_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"lifsim: damaged file {SIM} ("), lines


@pytest.mark.pipeline
def test_a_damaged_dataset_with_its_mtime_restored_is_caught_by_archive_and_verify_deep(run_copy, tmp_path):
    snakemake(run_copy, "-c1", "archive")
    (tar,) = (run_copy / "results" / "archive").glob("*.tar")
    target = run_copy / "results" / "datasets" / "fi_curve.nc"
    stat = target.stat()
    damage(target, "flipped byte")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    tar.unlink()
    # Snakemake sees nothing changed, and nothing of `all` reads the file again: that run cannot notice
    assert "Nothing to be done" in snakemake(run_copy, "-c1").stdout + snakemake(run_copy, "-c1").stderr
    proc = snakemake(run_copy, "-c1", "archive", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    (line,) = lifsim_lines(proc.stderr)
    assert line.startswith("lifsim: damaged file results/datasets/fi_curve.nc ("), line
    assert not list((run_copy / "results" / "archive").glob("*.tar"))
    # an archive made before the checks existed held a damaged file under a digest of the damaged bytes:
    # plain verify passes it, --deep does not
    snakemake(run_copy, "-c1", "--forcerun", "results/datasets/fi_curve.nc", "archive")
    (tar,) = (run_copy / "results" / "archive").glob("*.tar")
    folder = bundle.extract(tar, tmp_path / "x")
    inside = folder / "datasets" / "fi_curve.nc"
    damage(inside, "flipped byte")
    manifest = folder / MANIFEST
    manifest.write_text(re.sub(r"^[0-9a-f]{64}(?=  datasets/fi_curve\.nc$)", bundle.sha256_of(inside),
                               manifest.read_text(), flags=re.MULTILINE))
    env = {**os.environ, "PYTHONPATH": str(REPO / "workflow")}
    plain = subprocess.run([sys.executable, "-m", "lifsim", "verify", str(folder)], capture_output=True, text=True,
                           env=env, timeout=120)
    deep = subprocess.run([sys.executable, "-m", "lifsim", "verify", "--deep", str(folder)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert deep.returncode == 1 and "1 damaged dataset(s)" in deep.stderr, deep.stderr
    assert re.search(r"^  damaged:   datasets/fi_curve\.nc \(NetCDF: HDF error", deep.stderr, re.MULTILINE)
    good = subprocess.run([sys.executable, "-m", "lifsim", "verify", "--deep", str(tar)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert good.returncode == 0 and "NetCDF files read back in full" in good.stdout, good.stderr


@pytest.mark.pipeline
def test_science_warnings_of_the_run_are_listed_at_its_end(run_copy):
    job = "results/simulations/coupled_pair/analysis/strong_coupling.nc"
    proc = snakemake(run_copy, "-c1", "--forcerun", job, "--", job)
    assert "lifsim: 1 science warning(s) in this run:" in proc.stderr, proc.stderr[-3000:]
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("  simulate_job "))
    assert line.startswith("  simulate_job coupled_pair/analysis/strong_coupling: lifsim.sim: ")
    assert "(runaway)" in line
    assert line.endswith("(results/logs/simulate_job/coupled_pair/analysis/strong_coupling.log)")
    again = snakemake(run_copy, "-c1", job)
    assert "science warning" not in again.stderr


def test_a_flipped_scalar_value_is_caught_by_its_digest(tmp_path):
    ds = xr.Dataset({"a": ("t", np.linspace(0, 1, 100)), "I_e": 3.5, "label": "abc"}, coords={"t": np.arange(100.)})
    path = tmp_path / "s.nc"
    io.write_dataset(ds, path)
    xr.testing.assert_identical(io.read_dataset(path), ds)     # the digest attribute describes the file only
    data = bytearray(path.read_bytes())
    raw = np.float64(3.5).tobytes()
    assert data.count(raw) == 1
    data[data.find(raw) + 1] ^= 0x01                            # 3.5 -> 3.5000000000000004
    path.write_bytes(bytes(data))
    with pytest.raises(io.IntegrityError, match="scalar variables do not match their checksum"):
        io.check_netcdf(path)


@pytest.mark.pipeline
@pytest.mark.parametrize("rel", [SIM, DATASET, "results/analysis/fi_curve.nc"])
def test_any_flipped_bit_is_caught_or_changes_nothing_a_reader_sees(tiny_run, tmp_path, rel):
    """About 500 single-bit flips spread over the file: each fails check_netcdf, or lands in unused bytes."""
    original = (tiny_run / rel).read_bytes()
    reference = xr.load_dataset(tiny_run / rel)
    path = tmp_path / "f.nc"
    silent = []
    for at in range(3, len(original), max(1, len(original) // 500)):
        path.write_bytes(flip_bit(original, at))
        try:
            io.check_netcdf(path)
        except io.IntegrityError:
            continue
        got = xr.load_dataset(path)
        same = got.identical(reference) and all(got[v].attrs == reference[v].attrs for v in reference.variables)
        if not same:
            silent.append(at)
    assert not silent, f"flips at {silent[:10]} changed the content unnoticed"


def flip_bit(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
