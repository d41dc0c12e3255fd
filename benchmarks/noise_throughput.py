"""Throughput of the NumPy white-noise reference integrators in neuron-steps per second, dt = 0.1 ms.

    python benchmarks/noise_throughput.py [--sizes 1000 10000 100000] [--duration 0.2]

For each batch size N (an f-I sweep of mu from -60 to -48 mV, sigma = 4 mV, t_ref = 2 ms) it times
`exact` (OU transition + bridge test + spike time inside the step) and `euler` (Euler-Maruyama,
grid threshold), and as the peer measured in the same run, drawing the random numbers alone
(the compiled Philox blocks both schemes consume). The first call (numba cache load) is not timed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--duration", type=float, default=0.2)
    args = ap.parse_args()
    from lifsim import philox_block
    from lifsim.noisy import SLOT_TEST, SLOT_V
    from lifsim.noisy.exact_noise import simulate
    from lifsim.rng import keys_from_points, neuron_keys

    dt = 1e-4
    simulate("exact", neuron_keys(0, "warm", [1, 2]), -50e-3, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3, 0.001, dt)
    print(f"{'N':>8} {'scheme':>8} {'seconds':>9} {'neuron-steps/s':>15} {'vs draws alone':>15} {'spikes':>9}")
    for n in args.sizes:
        mu = np.linspace(-60e-3, -48e-3, n)
        keys = neuron_keys(1, "bench", keys_from_points([mu]))
        steps = int(round(args.duration / dt))
        t = time.perf_counter()
        for first in range(0, steps, max(1, (1 << 16) // n)):
            count = min(max(1, (1 << 16) // n), steps - first)
            philox_block.block(keys, first, count, SLOT_V, True)
            philox_block.block(keys, first, count, SLOT_TEST, False)
        draws = time.perf_counter() - t
        print(f"{n:>8} {'draws':>8} {draws:>9.3f} {n * steps / draws:>15.3e} {1.0:>15.2f} {'':>9}")
        for scheme in ("exact", "euler"):
            t = time.perf_counter()
            idx, _ = simulate(scheme, keys, mu, 1e-2, 4e-3, -54e-3, -80e-3, 2e-3, args.duration, dt)
            el = time.perf_counter() - t
            print(f"{n:>8} {scheme:>8} {el:>9.3f} {n * steps / el:>15.3e} {draws / el:>15.2f} {idx.size:>9}")


if __name__ == "__main__":
    main()
