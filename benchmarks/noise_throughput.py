"""Throughput of the white-noise integrators, compiled against NumPy, in neuron-steps per second, dt = 0.1 ms.

    python benchmarks/noise_throughput.py [--sizes 100 1000 10000 100000] [--duration 0.2] [--threads 1]

For each batch size N (an f-I sweep of mu from -60 to -48 mV, sigma = 4 mV, t_ref = 2 ms) it times
`exact` (OU transition + bridge test + spike time inside the step) and `euler` (Euler-Maruyama, grid
threshold) with the NumPy reference and with the compiled kernel in the same run, prints their
ratio and checks that both gave the same spike counts. NumPy runs a shorter stretch where the full
run would take long (its cost is per step, so the rate is the same). The peer "draws" is the
compiled kernel's random numbers alone (one Philox call and one Box-Muller per neuron and pair of
steps): the ceiling of any kernel that uses them. "tallies" is the compiled kernel that keeps no spikes,
only their window statistics (``simulate_sums``: what a sweep job without spike times runs). Rates come from
CPU time (per core: the machine is shared),
"numba wall" from wall time (with --threads 2, both cores); the numba import and the first call
(cache load, or a compile when the cache is cold) are timed apart. Numba comes from lifsim.numba_start
(512-bit vectors where the host has AVX-512 and NUMBA_CPU_NAME / NUMBA_CPU_FEATURES are unset: "vectors"
in the first line says which).
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
NUMPY_BUDGET = 2e7          # neuron-steps the NumPy kernel runs at most per measurement


def cpu_timed(fn, *args, **kwargs):
    start, wall = time.process_time(), time.perf_counter()
    out = fn(*args, **kwargs)
    cpu_timed.wall = time.perf_counter() - wall
    return out, time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 100000])
    ap.add_argument("--duration", type=float, default=0.2)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    from lifsim.noisy.exact_noise import simulate_sums, simulate_with_info
    from lifsim.numba_start import numba, wide_vectors
    from lifsim.rng import keys_from_points, neuron_keys
    numba.set_num_threads(args.threads)
    t1 = time.perf_counter()
    from lifsim.noisy.noise_blocks import pair_normals

    @numba.njit(error_model="numpy")
    def draws_alone(keys, steps, *z):
        for m in range(steps // 2):
            pair_normals(keys, m, *z)

    warm = neuron_keys(0, "warm", [1, 2])
    for scheme in ("exact", "euler"):
        simulate_with_info(scheme, warm, -50e-3, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3, 0.001, DT, kernel="numba")
        simulate_sums(scheme, warm, -50e-3, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3, 0.001, DT, (0.0, 0.001), kernel="numba")
    t2 = time.perf_counter()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; numba import {t1 - t0:.2f} s, "
          f"first calls (cache load or compile) {t2 - t1:.2f} s; compiled kernel threads {args.threads}; "
          f"vectors {'512-bit' if wide_vectors() else 'numba default'}")
    print(f"{'N':>7} {'scheme':>6} {'numpy n-s/s':>12} {'numba n-s/s':>12} {'numba/numpy':>11} "
          f"{'numba/draws':>11} {'numba wall':>11} {'tallies':>11} {'spikes':>8} {'same':>5}")
    for n in args.sizes:
        mu = np.linspace(-60e-3, -48e-3, n)
        keys = neuron_keys(1, "bench", keys_from_points([mu]))
        steps = int(round(args.duration / DT))
        z = [np.empty(n) for _ in range(4)]
        draws_alone(keys, 2, *z)
        _, draws = cpu_timed(draws_alone, keys, steps, *z)
        draws_rate = n * steps / draws
        print(f"{n:>7} {'draws':>6} {'':>12} {draws_rate:>12.3e}")
        short = min(args.duration, max(20 * DT, NUMPY_BUDGET / n * DT))
        for scheme in ("exact", "euler"):
            run = lambda duration, kernel: simulate_with_info(scheme, keys, mu, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3,  # noqa: B023,E731
                                                              duration, DT, kernel=kernel, threads=args.threads)
            (i_np, _, _), sec_np = cpu_timed(run, short, "numpy")
            (i_nb, _, info), sec_nb = cpu_timed(run, args.duration, "numba")
            rate_np = n * round(short / DT) / sec_np
            rate_nb, rate_wall = n * steps / sec_nb, n * steps / cpu_timed.wall
            _, sec_tally = cpu_timed(simulate_sums, scheme, keys, mu, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3, args.duration,
                                     DT, (0.0, args.duration), kernel="numba", threads=args.threads)
            same = np.array_equal(np.bincount(i_np, minlength=n), np.bincount(run(short, "numba")[0], minlength=n))
            print(f"{n:>7} {scheme:>6} {rate_np:>12.3e} {rate_nb:>12.3e} {rate_nb / rate_np:>11.1f} "
                  f"{rate_nb / draws_rate:>11.2f} {rate_wall:>11.3e} {n * steps / sec_tally:>11.3e} {i_nb.size:>8} "
                  f"{'yes' if same else 'NO':>5}")


if __name__ == "__main__":
    main()
