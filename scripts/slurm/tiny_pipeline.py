"""Copies of the workflow on the tests' tiny config, and a check that two runs gave the same results.

    python3 scripts/slurm/tiny_pipeline.py prepare DIR [DIR ...]   # one copy of the workflow per DIR
    python3 scripts/slurm/tiny_pipeline.py compare DIR_A DIR_B      # same outputs, same NetCDF content

`compare` checks that both runs made the same set of files under results/ (logs aside) and that every
NetCDF file (simulations, datasets, analysis) has identical content (xarray's assert_identical: values,
coordinates, attributes). Exit status 1 on any difference.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "workflow"))


def prepare(folders: list[str]) -> None:
    from conftest import copy_workflow, tiny_config

    for folder in folders:
        if Path(folder).exists() and any(Path(folder).iterdir()):
            sys.exit(f"{folder} exists and is not empty")
        copy_workflow(Path(folder), tiny_config())
        print(f"prepared {folder}")


def outputs(folder: Path) -> set[str]:
    results = folder / "results"
    return {str(p.relative_to(results)) for p in results.rglob("*")
            if p.is_file() and p.parts[len(results.parts)] != "logs"}


def compare(a: Path, b: Path) -> int:
    import xarray as xr

    from lifsim import io

    files_a, files_b = outputs(a), outputs(b)
    if files_a != files_b:
        print(f"different files: only in {a}: {sorted(files_a - files_b)}; only in {b}: {sorted(files_b - files_a)}")
        return 1
    netcdf = sorted(f for f in files_a if f.endswith(".nc"))
    failures = 0
    for name in netcdf:
        try:
            xr.testing.assert_identical(io.read_dataset(a / "results" / name), io.read_dataset(b / "results" / name))
        except AssertionError as exc:
            failures += 1
            print(f"DIFFERENT {name}:\n{exc}")
    print(f"{len(files_a)} output files in both runs; {len(netcdf) - failures} of {len(netcdf)} NetCDF files "
          "identical in content")
    return 1 if failures or not netcdf else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "prepare":
        prepare(argv[1:])
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
