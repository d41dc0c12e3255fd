"""Throughput of the OU-current integrators, compiled against NumPy, in neuron-steps per second, dt = 0.1 ms.

    python benchmarks/ou_throughput.py [--sizes 1000 10000 100000] [--duration 0.2] [--threads 1] [--repeats 2]

For each batch size N (an f-I sweep of mu from -60 to -48 mV, an OU current of std 0.3 nA and tau 5 ms
through R = 10 MOhm, tau_m = 10 ms, t_ref = 2 ms) it times `exact` (exact joint transition of (V, I),
spike time from the Hermite interpolant) and `euler` (Euler-Maruyama, grid threshold) with the NumPy
reference and with the compiled kernel, alternating the two (--repeats times, the best of each kept),
prints their ratio and checks that both gave the same spike trains over the stretch both ran. NumPy runs
a shorter stretch where the full run would take long (its cost is per step, so the rate is the same).
The peer "draws" is the random numbers alone (one Philox call and one Box-Muller per neuron and step,
slot SLOT_CURRENT): the ceiling of any kernel that uses them. Rates come from CPU time (per core: the
machine is shared), "numba wall" from wall time; the load average is printed before and after. The
numba import and the first calls (cache load, or a compile when the cache is cold) are timed apart.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))

DT = 1e-4
NUMPY_BUDGET = 2e7          # neuron-steps the NumPy reference runs at most per measurement
NEURON = dict(tau=1e-2, R_in=1e7, std=0.3e-9, tau_s=5e-3, theta=-54e-3, V_reset=-80e-3, t_ref=2e-3)


def cpu_timed(fn, *args, **kwargs):
    start, wall = time.process_time(), time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.process_time() - start, time.perf_counter() - wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--duration", type=float, default=0.2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    import numba

    from lifsim.noisy.ou_current import simulate_with_info
    from lifsim.rng import keys_from_points, neuron_keys
    numba.set_num_threads(args.threads)
    t1 = time.perf_counter()
    from lifsim.boxmuller import normal_pair
    from lifsim.noisy import SLOT_CURRENT
    from lifsim.philox_block import philox_words, uniforms_of_words

    @numba.njit(error_model="numpy")
    def draws_alone(keys, steps, z1, z2):
        for k in range(steps):
            for i in range(keys.size):
                c0, c1, c2, c3 = philox_words(keys[i], np.uint64(k), SLOT_CURRENT)
                u, v = uniforms_of_words(c0, c1, c2, c3)
                z1[i], z2[i] = normal_pair(u, v)

    def run(scheme, keys, mu, duration, kernel):
        return simulate_with_info(scheme, keys, mu, *NEURON.values(), duration, DT, kernel=kernel,
                                  threads=args.threads)

    warm = neuron_keys(0, "warm", [1, 2])
    for scheme in ("exact", "euler"):
        run(scheme, warm, -50e-3, 0.001, "numba")
    t2 = time.perf_counter()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; numba import {t1 - t0:.2f} s, "
          f"first calls (cache load or compile) {t2 - t1:.2f} s; compiled kernel threads {args.threads}")
    print(f"{'N':>7} {'scheme':>6} {'numpy n-s/s':>12} {'numba n-s/s':>12} {'numba/numpy':>11} "
          f"{'numba/draws':>11} {'numba wall':>11} {'spikes':>8} {'same':>5}")
    for n in args.sizes:
        mu = np.linspace(-60e-3, -48e-3, n)
        keys = neuron_keys(1, "bench-ou", keys_from_points([mu]))
        steps = int(round(args.duration / DT))
        z = [np.empty(n), np.empty(n)]
        draws_alone(keys, 1, *z)
        draws = min(cpu_timed(draws_alone, keys, steps, *z)[1] for _ in range(args.repeats))
        draws_rate = n * steps / draws
        print(f"{n:>7} {'draws':>6} {'':>12} {draws_rate:>12.3e}")
        short = min(args.duration, max(20 * DT, NUMPY_BUDGET / n * DT))
        for scheme in ("exact", "euler"):
            sec_np = sec_nb = wall_nb = np.inf
            for _ in range(args.repeats):            # alternate A and B; keep the best of each
                ref, sec, _ = cpu_timed(run, scheme, keys, mu, short, "numpy")
                sec_np = min(sec_np, sec)
                out, sec, wall = cpu_timed(run, scheme, keys, mu, args.duration, "numba")
                sec_nb, wall_nb = min(sec_nb, sec), min(wall_nb, wall)
            rate_np = n * round(short / DT) / sec_np
            rate_nb, rate_wall = n * steps / sec_nb, n * steps / wall_nb
            check = run(scheme, keys, mu, short, "numba")
            same = np.array_equal(ref[0], check[0]) and np.array_equal(ref[1], check[1])
            print(f"{n:>7} {scheme:>6} {rate_np:>12.3e} {rate_nb:>12.3e} {rate_nb / rate_np:>11.1f} "
                  f"{rate_nb / draws_rate:>11.2f} {rate_wall:>11.3e} {out[0].size:>8} {'yes' if same else 'NO':>5}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
