"""Time the whole pipeline: a cold `snakemake -c4` in a fresh copy of the workflow, then a no-op rerun.

    python benchmarks/pipeline_timing.py [--repeats 3] [--cores 4]

Prints wall-clock and CPU seconds (user + sys of snakemake and all its jobs), the number of jobs, and the
median over the repeats. Run it on an otherwise idle machine: the numbers are only as quiet as the machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ITEMS = ("Snakefile", "workflow", "profiles", "config.yaml")


def fresh_copy(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".snakemake", "results")
    for item in ITEMS:
        src = REPO / item
        (shutil.copytree(src, dest / item, ignore=ignore) if src.is_dir() else shutil.copy2(src, dest / item))


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout + proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cores", type=int, default=4)
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "snakemake", f"-c{args.cores}"]
    cold, noop = [], []
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            fresh_copy(folder)
            wall, cpu, out = timed(cmd, folder)
            jobs = out.count("Finished jobid")
            cold.append(wall)
            print(f"run {i + 1}: cold {wall:6.2f} s wall, {cpu:6.2f} s CPU, {jobs} jobs", end="; ")
            wall, cpu, out = timed(cmd, folder)
            noop.append(wall)
            assert "Nothing to be done" in out, "the second run was not a no-op"
            print(f"no-op {wall:5.2f} s wall, {cpu:5.2f} s CPU")
    print(f"median: cold {statistics.median(cold):.2f} s, no-op {statistics.median(noop):.2f} s")


if __name__ == "__main__":
    main()
