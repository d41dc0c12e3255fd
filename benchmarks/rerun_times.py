"""How long `snakemake -c4` takes when nothing changed, and after one condition's parameter changed.

    python benchmarks/rerun_times.py [--cores 2] [--repeat 5] [--config config.yaml]

Copies the workflow and the config into a temporary folder, runs it completely once (--cores), then times
`snakemake -c4` with everything up to date (--repeat times) and after an edit of one condition's parameter
(synaptic_response/shunting g_inh 200 nS -> 150 nS, and back again), printing wall time and jobs run.
The machine's load average is printed alongside: on a shared machine the times are only comparable with it.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPY_ITEMS = ("Snakefile", "workflow", "profiles")
EDIT = ("shunting: {E_syn: 0 mV, g_exc: 50 nS, g_inh: 200 nS}", "shunting: {E_syn: 0 mV, g_exc: 50 nS, g_inh: 150 nS}")


def run(folder: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=folder, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"snakemake {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return wall, proc.stdout + proc.stderr


def jobs_done(output: str) -> str:
    """`n of m steps` of the last progress line (the `all` target included), or 'nothing'."""
    steps = re.findall(r"(\d+) of (\d+) steps", output)
    return f"{steps[-1][0]} jobs (the `all` target included)" if steps else "nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default="2", help="cores of the complete first run (default 2)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--config", default=str(REPO / "config.yaml"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lifsim-rerun-") as tmp:
        folder = Path(tmp)
        for item in COPY_ITEMS:
            src = REPO / item
            (shutil.copytree(src, folder / item, ignore=shutil.ignore_patterns("__pycache__"))
             if src.is_dir() else shutil.copy2(src, folder / item))
        shutil.copy2(args.config, folder / "config.yaml")
        wall, out = run(folder, f"-c{args.cores}")
        print(f"complete run (-c{args.cores}): {wall:.2f} s, {jobs_done(out)}")
        for i in range(args.repeat):
            wall, out = run(folder, "-c4")
            print(f"no-op rerun {i + 1}: {wall:.2f} s, {jobs_done(out)}; load average {os.getloadavg()[0]:.1f}")
        config = folder / "config.yaml"
        text = config.read_text(encoding="utf-8")
        if EDIT[0] not in text:
            sys.exit(f"the config has no line {EDIT[0]!r} to edit")
        for label, old, new in (("g_inh 200 -> 150 nS", *EDIT), ("g_inh 150 -> 200 nS", *EDIT[::-1])):
            config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            wall, out = run(folder, "-c4")
            print(f"one condition changed ({label}): {wall:.2f} s, {jobs_done(out)}; "
                  f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
