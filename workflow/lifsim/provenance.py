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


def attributes(params) -> dict:
    """Global attributes: the resolved parameters (canonical JSON), their SHA-256 and the software."""
    text = canonical_json(params)
    attrs = {"lifsim_params": text, "lifsim_params_sha256": sha256(text),
             "lifsim_version": __version__, "git_commit": git_commit()}
    for name, version in software_versions().items():
        attrs[f"version_{name}"] = version
    return attrs
