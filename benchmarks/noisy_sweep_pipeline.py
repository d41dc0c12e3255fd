"""Time the 1,000,000-point noisy f-I sweep (white noise, exact scheme, 1 s per point) through `snakemake -c4`.

    python benchmarks/noisy_sweep_pipeline.py [--cores 4] [--cold] [--keep]

Copies the workflow into a temporary folder and runs `snakemake -c<cores> plot_noisy_fi_sweep_1M --configfile
configs/noisy_fi_sweep_1M.yaml` (8 simulation jobs of 125,000 neurons, gather, analysis, summary, figure)
under `/usr/bin/time -v`. Prints the wall time, the CPU time of all processes, the peak resident memory of
the largest process, and per rule the wall seconds and peak memory Snakemake measured (results/benchmarks).
numba's on-disk cache of this checkout is copied along (as in a checkout that has run once); `--cold`
leaves it behind, so each job compiles the kernel. The load average before and after says how quiet the
machine was.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ITEMS = ("Snakefile", "workflow", "profiles", "config.yaml", "configs")
TARGET, OVERLAY = "plot_noisy_fi_sweep_1M", "configs/noisy_fi_sweep_1M.yaml"


def fresh_copy(dest: Path, cold: bool) -> None:
    ignore = shutil.ignore_patterns(*(("__pycache__",) if cold else ()), ".snakemake", "results")
    for item in ITEMS:
        src = REPO / item
        (shutil.copytree(src, dest / item, ignore=ignore) if src.is_dir() else shutil.copy2(src, dest / item))


def rule_table(folder: Path) -> dict:
    """{rule: (jobs, total s, max s, max MB)} from Snakemake's benchmark files."""
    out = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for tsv in (folder / "results" / "benchmarks").rglob("*.tsv"):
        rule = tsv.relative_to(folder / "results" / "benchmarks").parts[0]
        with tsv.open() as f:
            row = next(csv.DictReader(f, delimiter="\t"))
        entry = out[rule]
        entry[0] += 1
        entry[1] += float(row["s"])
        entry[2] = max(entry[2], float(row["s"]))
        entry[3] = max(entry[3], float(row["max_rss"]) if row["max_rss"] not in ("", "NA", "-") else 0.0)
    return dict(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cores", type=int, default=4)
    ap.add_argument("--cold", action="store_true", help="without numba's cache (every job compiles)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lifsim-noisy-sweep-")
    folder = Path(tmp)
    try:
        fresh_copy(folder, args.cold)
        cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "snakemake", f"-c{args.cores}", TARGET,
               "--configfile", OVERLAY]
        before = os.getloadavg()
        proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
        after = os.getloadavg()
        if proc.returncode:
            sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")

        def field(name):
            return re.search(rf"{re.escape(name)}: (.+)", proc.stderr).group(1).strip()

        wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
        cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
        peak = int(field("Maximum resident set size (kbytes)")) / 1024
        print(f"machine: {os.cpu_count()} cores; load average (1 min) {before[0]:.2f} before, {after[0]:.2f} after; "
              f"numba cache {'not copied (cold)' if args.cold else 'copied'}")
        print(f"snakemake -c{args.cores} {TARGET}: {wall} wall, {cpu:.1f} s CPU (all processes), "
              f"peak memory {peak:.0f} MB (largest process)")
        print(f"{'rule':<22} {'jobs':>4} {'sum s':>8} {'max s':>7} {'max MB':>7}")
        for rule, (n, total, longest, mb) in sorted(rule_table(folder).items()):
            print(f"{rule:<22} {n:>4} {total:>8.1f} {longest:>7.1f} {mb:>7.0f}")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
