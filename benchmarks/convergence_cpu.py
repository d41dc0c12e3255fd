"""CPU time of the convergence experiment's jobs (reference solves and measurements), run in one process.

    python benchmarks/convergence_cpu.py [--config config.yaml] [--experiment convergence]

Each job runs as the pipeline's job does (``lifsim.convergence.reference_dataset`` or
``measure_dataset``); its process CPU time (``time.process_time``, both cores counted) is printed with
the kernel its simulations used. Set ``LIFSIM_KERNEL=numpy`` to see the NumPy kernels alone. The
one-time cost of importing numba and loading its cached kernels is measured first and reported
apart: in the pipeline every job that uses a compiled kernel pays it once, as its own process.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config.yaml"))
    ap.add_argument("--experiment", default="convergence")
    args = ap.parse_args()
    from lifsim.config import load
    from lifsim.convergence import measure_dataset, reference_dataset

    _, plans = load(args.config)
    jobs = plans[args.experiment].jobs
    kernels = []
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("lifsim.sim").addFilter(lambda rec: kernels.append(rec.getMessage().split("kernel ")[-1])
                                              or False)
    start = time.process_time()
    from lifsim.sim import (
        euler_numba,  # noqa: F401
        exact_numba,  # noqa: F401  (import and load the compiled kernels' cache)
    )
    load = time.process_time() - start
    references, total = {}, 0.0
    print(f"numba import + module load: {load:.2f} s CPU (paid once per job process that uses it)")
    print(f"{'job':<40} {'CPU s':>7}  kernel")
    for name in sorted(jobs, key=lambda j: not j.startswith("reference/")):
        params = jobs[name]
        kernels.clear()
        start = time.process_time()
        if name.startswith("reference/"):
            references[name] = reference_dataset(params)
        else:
            case = name.split("/", 1)[1]
            measure_dataset(params, references.get(f"reference/{case}"))
        cpu = time.process_time() - start
        total += cpu
        print(f"{name:<40} {cpu:7.2f}  {', '.join(sorted(set(kernels))) or 'scipy'}")
    print(f"{'total':<40} {total:7.2f}")


if __name__ == "__main__":
    main()
