"""Provenance attributes every dataset carries (no wall-clock time: identical runs give identical files)."""
from __future__ import annotations

import functools
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from . import __version__
from .config.resolve import canonical_json, sha256

PACKAGES = ("numpy", "xarray", "netCDF4", "snakemake", "matplotlib", "scipy")


@functools.lru_cache(maxsize=1)
def software_versions() -> dict:
    out = {"python": platform.python_version(), "lifsim": __version__}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    try:  # the C libraries under netCDF4 decide the bytes of a .nc file
        import netCDF4

        out["netcdf_c"], out["hdf5"] = netCDF4.__netcdf4libversion__, netCDF4.__hdf5libversion__
    except ImportError:
        out["netcdf_c"] = out["hdf5"] = "not installed"
    return out


@functools.lru_cache(maxsize=1)
def git_commit() -> str:
    """The commit of the lifsim checkout in use, with ``-dirty`` when its code differs; "unknown" outside git."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "workflow"],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


NO_SEED = "none (no random draws)"


def run_settings(jobs: list[dict]) -> dict:
    """``integrator``, ``dt_ms`` and ``seed`` of the simulation jobs a dataset comes from.

    A value shared by all jobs is stored once; differing values as a list. ``seed``
    is the global seed when the initial voltages were drawn, else :data:`NO_SEED`
    (the seed is no job's parameter then, so changing it reruns nothing there).
    """
    def one_or_list(values):
        values = sorted(set(values))
        return values[0] if len(values) == 1 else values

    jobs = [job.get("job", job) for job in jobs]  # a convergence job holds its simulation in "job"
    seeds = [job["V_init"]["seed"] for job in jobs if "seed" in job.get("V_init", {})]
    return {"integrator": one_or_list(job["integrator"] for job in jobs),
            "dt_ms": one_or_list(job["dt"] * 1e3 for job in jobs),
            "seed": one_or_list(seeds) if seeds else NO_SEED}


def attributes(params, jobs: list[dict] | None = None) -> dict:
    """Global attributes: the resolved parameters (canonical JSON) and their SHA-256, the integrator, dt and
    seed of the simulation ``jobs`` behind the data (default: ``params`` is one job's), and the software that
    made it (no time stamp)."""
    text = canonical_json(params)
    attrs = {"lifsim_params": text, "lifsim_params_sha256": sha256(text),
             **run_settings([params] if jobs is None else jobs),
             "lifsim_version": __version__, "git_commit": git_commit()}
    for name, version in software_versions().items():
        attrs[f"version_{name}"] = version
    return attrs
