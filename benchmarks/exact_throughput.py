"""Throughput of the exact integrator's kernels against compiled Euler, in neuron-steps per second of CPU time.

    python benchmarks/exact_throughput.py [--sizes 1000 10000 100000 1000000] [--duration 0.5] [--work 2e9]
                                          [--threads 1] [--numpy-limit 2e7]

The batch is the one of ``kernel_throughput.py`` (an f-I sweep with synaptic state, dt = 0.1 ms, one
presynaptic spike per neuron at 10 ms, no noise; spike times not stored, the per-neuron statistics kept),
run for ``--duration`` of model time, as often as it takes to reach ``--work`` neuron-steps per kernel (at
most 5 times), the kernels alternating. Every kernel runs once untimed (compile or cache load). Prints each
kernel's neuron-steps per second of CPU time (best run; CPU rather than wall-clock time, since the machine
may be shared: the load average is printed) and the cost ratio exact / euler of the compiled kernels. The
NumPy exact kernel runs a shorter batch (at most ``--numpy-limit`` neuron-steps), once.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kernel_throughput import batch_params  # noqa: E402 - a sibling script, on the path above


def cpu_seconds(fn, b) -> float:
    start = time.process_time()
    fn(b)
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--duration", type=float, default=0.5, help="s of model time per run")
    ap.add_argument("--work", type=float, default=2e9, help="neuron-steps per kernel and size, in all")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--numpy-limit", type=float, default=2e7, help="neuron-steps of the NumPy exact kernel's run")
    args = ap.parse_args()
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba
    from lifsim.sim.exact import run_exact
    from lifsim.sim.exact_numba import run_exact_numba

    compiled = {"euler numba": lambda b: run_euler_numba(b, spikes=False, threads=args.threads),
                "exact numba": lambda b: run_exact_numba(b, spikes=False, threads=args.threads)}
    warm = from_params(batch_params(10, 0.02))
    for fn in (*compiled.values(), run_exact):
        fn(warm)
    print(f"threads {args.threads}, dt 0.1 ms, {args.duration:g} s per run (NumPy exact: <= {args.numpy_limit:.0e} "
          f"neuron-steps), CPU time; load average {os.getloadavg()[0]:.2f}")
    print(f"{'N':>9} {'euler numba':>12} {'exact numba':>12} {'exact numpy':>12} {'exact/euler':>12}   (neuron-steps/s)")
    for n in args.sizes:
        b = from_params(batch_params(n, args.duration))
        best = dict.fromkeys(compiled, float("inf"))
        for _ in range(max(1, min(5, round(args.work / (n * b.n_steps))))):
            for name, fn in compiled.items():
                best[name] = min(best[name], cpu_seconds(fn, b))
        rate = {name: n * b.n_steps / sec for name, sec in best.items()}
        b_np = from_params(batch_params(n, max(20, min(b.n_steps, int(args.numpy_limit / n))) * 1e-4))
        rate["exact numpy"] = n * b_np.n_steps / cpu_seconds(run_exact, b_np)
        print(f"{n:>9} {rate['euler numba']:12.3g} {rate['exact numba']:12.3g} {rate['exact numpy']:12.3g} "
              f"{rate['euler numba'] / rate['exact numba']:12.2f}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
