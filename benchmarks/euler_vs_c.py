"""lifsim's compiled Euler kernel against a hand-written C loop of the same model, one core, same run.

    python benchmarks/euler_vs_c.py [--sizes 1000 10000 100000 1000000] [--duration 1.0] [--work 3e9]
                                    [--cc cc] [--flags -O3 -march=native]

Compiles ``benchmarks/c_loop/euler.c`` with the system compiler into a temporary folder (skipped, with
a message, where there is none), then for each N runs both on the batch of ``kernel_throughput.py``
(f-I sweep, dt = 0.1 ms, one presynaptic spike per neuron, spike times not stored) for ``--duration`` of
model time, as often as it takes to reach ``--work`` neuron-steps (at least 3 times), alternating the two,
and prints the neuron-steps per second of CPU time of the best run of each and the ratio lifsim / C. CPU
time rather than wall-clock time, because the machine may be shared (the load average is printed). lifsim's
time is the whole kernel call, including its set-up; C's the loop alone. The spike counts and the sums of
the inter-spike intervals of the two are printed side by side as a check that they ran the same model.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "workflow"))
sys.path.insert(0, str(HERE))

from kernel_throughput import batch_params  # noqa: E402 - a sibling script, on the path above


def compile_c(cc: str, flags: list[str], folder: Path) -> Path | None:
    compiler = shutil.which(cc)
    if compiler is None:
        print(f"no C compiler {cc!r} on PATH: the C loop is skipped")
        return None
    exe = folder / "euler"
    subprocess.run([compiler, *flags, "-o", str(exe), str(HERE / "c_loop" / "euler.c"), "-lm"], check=True)
    return exe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--duration", type=float, default=1.0, help="s of model time per run")
    ap.add_argument("--work", type=float, default=3e9, help="neuron-steps per kernel and size, in all")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--flags", nargs="+", default=["-O3", "-march=native"])
    args = ap.parse_args()
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba

    run_euler_numba(from_params(batch_params(10, 0.02)), spikes=False, threads=1)   # compile or load the cache
    with tempfile.TemporaryDirectory() as tmp:
        exe = compile_c(args.cc, args.flags, Path(tmp))
        print(f"one thread, dt 0.1 ms, {args.duration:g} s per run, best of >= 3 runs (CPU time); C: {args.cc} "
              f"{' '.join(args.flags)}; load average {os.getloadavg()[0]:.2f}")
        print(f"{'N':>8} {'lifsim':>10} {'C':>10} {'lifsim/C':>9} {'spikes lifsim':>14} {'spikes C':>10} "
              f"{'ISI sum lifsim':>15} {'ISI sum C':>15}   (neuron-steps/s)")
        for n in args.sizes:
            b = from_params(batch_params(n, args.duration))
            repeat = max(3, round(args.work / (n * b.n_steps)))
            best, c_best, c_out = float("inf"), float("inf"), None
            for _ in range(repeat):
                start = time.process_time()
                r = run_euler_numba(b, spikes=False, threads=1)
                best = min(best, time.process_time() - start)
                if exe is not None:
                    c_out = subprocess.run([str(exe), str(n), str(b.n_steps)], capture_output=True, text=True,
                                           check=True).stdout.split()
                    c_best = min(c_best, float(c_out[0]))
            rate = n * b.n_steps / best
            count = r.summary["spike_count"]
            spikes, isi = int(count.sum()), float(np.nansum(r.summary["mean_isi"] * (count - 1)))
            if exe is None:
                print(f"{n:>8} {rate:10.3g} {'-':>10} {'-':>9} {spikes:>14} {'-':>10} {isi:15.9g} {'-':>15}")
                continue
            c_rate = n * b.n_steps / c_best
            print(f"{n:>8} {rate:10.3g} {c_rate:10.3g} {rate / c_rate:9.2f} {spikes:>14} {int(c_out[1]):>10} "
                  f"{isi:15.9g} {float(c_out[2]):15.9g}")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
