"""Simulation-kernel throughput in neuron-steps per second: an f-I sweep with synaptic state, dt = 0.1 ms.

    python benchmarks/kernel_throughput.py [--sizes 100 1000 10000 100000 1000000] [--duration 1.0]
                                           [--threads 1] [--kernels numpy numba]

For each batch size N the sweep spans I_e from 0 to 5 nA; each neuron also receives one presynaptic
spike so that the synaptic state is live. Spike times are not stored (summary statistics only), as
large sweeps do by default. The first call of the compiled kernel (cache load) is timed separately.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))


def batch_params(n: int, duration: float) -> dict:
    neuron = {"tau_m": 0.01, "R_m": 1e7, "E_m": -0.08, "V_thr": -0.054, "V_reset": -0.08, "t_ref": 0.0,
              "tau_syn": 0.01, "g_star": 30e-9, "E_syn": 0.0, "E_exc": 0.0, "E_inh": -0.1, "g_exc": 0.0,
              "g_inh": 0.0}
    currents = np.linspace(0, 5e-9, n).tolist()
    return {"experiment": "bench", "kind": "fi_curve", "condition": "c", "integrator": "euler", "dt": 1e-4,
            "duration": duration, "reset": True, "record": [], "neuron": neuron,
            "batch": {"dim": "I_e", "size": n, "values": currents}, "grid": {"I_e": {"values": currents}},
            "V_init": {"values": [-0.08] * n}, "presynaptic_spikes": [0.01], "coupling": None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 100000, 1000000])
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--kernels", nargs="+", default=["numpy", "numba"])
    args = ap.parse_args()
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler import run_euler

    t0 = time.perf_counter()
    import numba

    from lifsim.sim.euler_numba import run_euler_numba
    numba.set_num_threads(args.threads)
    t1 = time.perf_counter()
    run_euler_numba(from_params(batch_params(10, 0.001)), spikes=False)
    t2 = time.perf_counter()
    print(f"numba import {t1 - t0:.2f} s, first call (compile or cache load) {t2 - t1:.2f} s, "
          f"threads {args.threads}")
    print(f"{'N':>9} {'kernel':>6} {'seconds':>8} {'neuron-steps/s':>15}")
    for n in args.sizes:
        b = from_params(batch_params(n, args.duration))
        for kernel in args.kernels:
            if kernel == "numpy" and n * b.n_steps > 2e9:
                continue
            start = time.perf_counter()
            if kernel == "numpy":
                run_euler(b)
            else:
                run_euler_numba(b, spikes=False)
            sec = time.perf_counter() - start
            print(f"{n:>9} {kernel:>6} {sec:8.3f} {n * b.n_steps / sec:15.3g}")


if __name__ == "__main__":
    main()
