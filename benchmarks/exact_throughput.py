"""Throughput of the exact integrator's kernels against compiled Euler, in neuron-steps per second.

    python benchmarks/exact_throughput.py [--sizes 100 1000 10000 100000 1000000] [--work 2e8]
                                          [--threads 2] [--numpy-limit 2e7]

The batch is the one of ``kernel_throughput.py`` (an f-I sweep with synaptic state, dt = 0.1 ms, one
presynaptic spike per neuron at 10 ms, no noise), run for about ``--work`` neuron-steps at each size.
Every kernel runs once untimed (compile or cache load), then best of 3. Prints each kernel's
neuron-steps/s and the cost ratio exact / euler of the compiled kernels measured in the same run.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kernel_throughput import batch_params


def best(fn, b, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(b)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 100000, 1000000])
    ap.add_argument("--work", type=float, default=2e8, help="neuron-steps per run")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--numpy-limit", type=float, default=2e7, help="skip the NumPy exact kernel above this work")
    args = ap.parse_args()
    import numba

    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba
    from lifsim.sim.exact import run_exact
    from lifsim.sim.exact_numba import run_exact_numba

    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    kernels = {"euler numba": lambda b: run_euler_numba(b, spikes=False), "exact numba": run_exact_numba,
               "exact numpy": run_exact}
    warm = from_params(batch_params(10, 0.02))
    for fn in kernels.values():
        fn(warm)
    print(f"threads {numba.get_num_threads()}, dt 0.1 ms, ~{args.work:.0e} neuron-steps per run (numpy exact: "
          f"<= {args.numpy_limit:.0e})")
    print(f"{'N':>9} {'euler numba':>12} {'exact numba':>12} {'exact numpy':>12} {'exact/euler':>12}   (neuron-steps/s)")
    for n in args.sizes:
        steps = max(200, int(args.work / n))
        b = from_params(batch_params(n, steps * 1e-4))
        rate = {}
        for name, fn in kernels.items():
            if name == "exact numpy" and n * steps > args.numpy_limit:   # a shorter run, timed once
                b_np = from_params(batch_params(n, max(200, int(args.numpy_limit / n)) * 1e-4))
                rate[name] = n * b_np.n_steps / best(fn, b_np, 1)
                continue
            rate[name] = n * b.n_steps / best(fn, b)
        print(f"{n:>9} {rate['euler numba']:12.3g} {rate['exact numba']:12.3g} {rate['exact numpy']:12.3g} "
              f"{rate['euler numba'] / rate['exact numba']:12.2f}")


if __name__ == "__main__":
    main()
