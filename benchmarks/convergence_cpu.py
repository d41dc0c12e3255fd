"""CPU time of the convergence experiment's jobs, each run as its own process as the pipeline runs it.

    python benchmarks/convergence_cpu.py [--config config.yaml] [--experiment convergence]

Every job (``lifsim.convergence.run_job``: a reference solve or a measurement at every dt) runs in a fresh
Python, after the imports every job of the pipeline pays (numpy, xarray, netCDF, lifsim; printed apart
as the "import floor"); a measurement reads its reference from a NetCDF file as in the pipeline. A job's
CPU (``time.process_time``, both cores counted) covers everything after that floor: the kernel choice
(``lifsim.sim.run.choose_kernel``), importing Numba and loading its cached kernels when the job uses
them, and the simulations. Set ``LIFSIM_KERNEL=numpy`` or ``numba`` to force a kernel.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))


def one_job(args) -> None:
    """Run one job in this (fresh) process and print a JSON line of its CPU and kernels."""
    import logging

    start = time.process_time()
    from lifsim import convergence, io
    from lifsim.planning import load

    params = load(args.config)[1][args.experiment].jobs[args.one]
    inputs = [io.read_variables(args.reference)] if args.reference else []
    floor = time.process_time() - start
    kernels = []
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("lifsim.sim").addFilter(lambda r: kernels.append(r.getMessage().split("kernel ")[-1]) and False)
    start = time.process_time()
    out = convergence.run_job(params, inputs)
    cpu = time.process_time() - start
    if args.save:
        io.write_content(out, args.save)
    print(json.dumps({"cpu": cpu, "floor": floor, "kernels": sorted(set(kernels)) or ["scipy"],
                      "numba": "numba" in sys.modules}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config.yaml"))
    ap.add_argument("--experiment", default="convergence")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--reference", help=argparse.SUPPRESS)
    ap.add_argument("--save", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one_job(args)
    from lifsim.planning import load

    jobs = load(args.config)[1][args.experiment].jobs
    total, floors = 0.0, []
    print(f"{'job':<40} {'CPU s':>7}  kernel")
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(jobs, key=lambda j: not j.startswith("reference/")):
            ref = Path(tmp) / f"reference_{name.split('/', 1)[1]}.nc"
            cmd = [sys.executable, __file__, "--config", args.config, "--experiment", args.experiment, "--one", name]
            if name.startswith("reference/"):
                cmd += ["--save", str(ref)]
            elif ref.exists():
                cmd += ["--reference", str(ref)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode:
                sys.exit(f"{name} failed:\n{proc.stderr[-3000:]}")
            out = json.loads(proc.stdout.strip().splitlines()[-1])
            total += out["cpu"]
            floors.append(out["floor"])
            print(f"{name:<40} {out['cpu']:7.2f}  {', '.join(out['kernels'])}")
    print(f"{'total':<40} {total:7.2f}")
    print(f"import floor of each job (not in the total): {min(floors):.2f}-{max(floors):.2f} s CPU")


if __name__ == "__main__":
    main()
