"""lifsim's compiled Euler kernel against a hand-written C loop of the same model, one core, same run.

    python benchmarks/euler_vs_c.py [--sizes 1000 10000 100000 1000000] [--work 2e9] [--repeat 3]
                                    [--cc cc] [--flags -O3 -march=native]

Compiles ``benchmarks/c_loop/euler.c`` with the system compiler into a temporary folder (skipped, with
a message, where there is none), then for each N runs both on the batch of ``kernel_throughput.py``
(f-I sweep, dt = 0.1 ms, one presynaptic spike per neuron, spike times not stored) for about ``--work``
neuron-steps, best of ``--repeat``, and prints neuron-steps/s of each and the ratio lifsim / C.
The spike counts of the two are printed side by side as a check that they ran the same model.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    subprocess.run([compiler, *flags, "-o", str(exe), str(HERE / "c_loop" / "euler.c")], check=True)
    return exe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--work", type=float, default=2e9, help="neuron-steps per run")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--flags", nargs="+", default=["-O3", "-march=native"])
    args = ap.parse_args()
    import numba

    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba

    numba.set_num_threads(1)
    run_euler_numba(from_params(batch_params(10, 0.02)), spikes=False)      # compile or load the cache
    with tempfile.TemporaryDirectory() as tmp:
        exe = compile_c(args.cc, args.flags, Path(tmp))
        print(f"one thread, dt 0.1 ms, ~{args.work:.0e} neuron-steps per run, best of {args.repeat}; "
              f"C: {args.cc} {' '.join(args.flags)}")
        print(f"{'N':>8} {'lifsim':>10} {'C':>10} {'lifsim/C':>9} {'spikes lifsim':>14} {'spikes C':>10}"
              "   (neuron-steps/s)")
        for n in args.sizes:
            steps = max(200, int(args.work / n))
            b = from_params(batch_params(n, steps * 1e-4))
            best, spikes = float("inf"), 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                r = run_euler_numba(b, spikes=False)
                best = min(best, time.perf_counter() - start)
                spikes = int(r.spike_counts().sum())
            rate = n * b.n_steps / best
            if exe is None:
                print(f"{n:>8} {rate:10.3g} {'-':>10} {'-':>9} {spikes:>14} {'-':>10}")
                continue
            runs = [subprocess.run([str(exe), str(n), str(b.n_steps)], capture_output=True, text=True, check=True)
                    .stdout.split() for _ in range(args.repeat)]
            c_best, c_spikes = min(float(s) for s, _ in runs), int(runs[0][1])
            c_rate = n * b.n_steps / c_best
            print(f"{n:>8} {rate:10.3g} {c_rate:10.3g} {rate / c_rate:9.2f} {spikes:>14} {c_spikes:>10}")


if __name__ == "__main__":
    main()
