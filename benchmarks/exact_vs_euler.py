"""Cost of the exact integrator against forward Euler on the same batches, NumPy and compiled kernels.

    python benchmarks/exact_vs_euler.py

Prints, per case, the CPU seconds of each integrator (best of 5, the kernels alternating so that all see
the same machine load; one thread), the ratio exact / euler for each kind of kernel, and the exact
compiled kernel's neuron-steps per second. The compiled kernels are loaded before timing.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from params_helper import job  # noqa: E402

from lifsim.sim import from_params  # noqa: E402
from lifsim.sim.euler import run_euler  # noqa: E402
from lifsim.sim.euler_numba import run_euler_numba  # noqa: E402
from lifsim.sim.exact import run_exact  # noqa: E402
from lifsim.sim.exact_numba import run_exact_numba  # noqa: E402

KERNELS = {"euler numpy": run_euler, "exact numpy": run_exact,
           "euler numba": lambda b: run_euler_numba(b, threads=1), "exact numba": lambda b: run_exact_numba(b, threads=1)}


def fi_sweep():
    return from_params(job(dt=1e-4, duration=0.5, reset=True, record=(),
                           sweep={"I_e": list(np.linspace(0, 5e-9, 250))}))


def large_batch():
    return from_params(job(dt=1e-4, duration=0.1, reset=True, record=(),
                           sweep={"I_e": list(np.linspace(2e-9, 5e-9, 10_000))}))


def large_batch_poisson_input():
    """10,000 neurons, each driven by its own 20 Hz Poisson train (events at their own times)."""
    b = from_params(job(dt=1e-4, duration=0.1, reset=True, record=(), g_star=5e-9,
                        sweep={"I_e": list(np.linspace(2e-9, 3e-9, 10_000))}))
    rng = np.random.default_rng(1)
    m = rng.poisson(20 * 0.1 * b.n)
    t, target = rng.uniform(0, 0.1, m), rng.integers(0, b.n, m)
    order = np.argsort(t)
    b.ext_time, b.ext_target = t[order], target[order]
    return b


def coupled_pair():
    return from_params(job(n=2, dim="neuron", dt=1e-4, duration=0.5, reset=True, record=("V",), E_m=-0.07,
                           V_reset=-0.07, I_e=3.5e-9, t_ref=2e-3, V_init={"values": [-0.06, -0.07]},
                           coupling=[[0, 1], [1, 0]]))


def synaptic_response():
    return from_params(job(dt=1e-4, duration=0.2, spikes=[0.04], record=("V", "I_m", "I_syn", "g_syn", "x")))


CASES = {"f-I sweep, 250 neurons x 500 ms": fi_sweep,
         "10,000 neurons x 100 ms, constant current": large_batch,
         "10,000 neurons x 100 ms, 20 Hz Poisson input each": large_batch_poisson_input,
         "coupled pair x 500 ms, t_ref 2 ms, V traced": coupled_pair,
         "synaptic response x 200 ms, 5 traces": synaptic_response}


def best_of(batch, repeat=5) -> dict:
    """Best CPU time of each kernel, alternating them so that all see the same machine load."""
    best = dict.fromkeys(KERNELS, np.inf)
    for _ in range(repeat):
        for name, fn in KERNELS.items():
            start = time.process_time()
            fn(batch)
            best[name] = min(best[name], time.process_time() - start)
    return best


def main() -> None:
    for fn in KERNELS.values():      # compile or load the compiled kernels
        fn(synaptic_response())
    print(f"{'case':52s} {'euler s':>8s} {'exact s':>8s} {'ratio':>6s} {'euler s':>8s} {'exact s':>8s} {'ratio':>6s} "
          f"{'exact numba':>12s}")
    print(f"{'':52s} {'(NumPy)':>24s} {'(compiled)':>24s} {'neuron-steps/s':>14s}")
    for name, make in CASES.items():
        batch = make()
        t = best_of(batch)
        rate = batch.n * batch.n_steps / t["exact numba"]
        print(f"{name:52s} {t['euler numpy']:8.3f} {t['exact numpy']:8.3f} {t['exact numpy'] / t['euler numpy']:6.2f} "
              f"{t['euler numba']:8.4f} {t['exact numba']:8.4f} {t['exact numba'] / t['euler numba']:6.2f} {rate:12.3g}")


if __name__ == "__main__":
    main()
