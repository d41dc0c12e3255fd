"""Cost of the exact integrator against forward Euler on the same batches (best of 5 wall times).

    python benchmarks/exact_vs_euler.py

Prints, per case, the seconds of each integrator, the ratio exact / euler, and
the neuron-steps per second. Run it on an otherwise idle machine.
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
from lifsim.sim.exact import run_exact  # noqa: E402


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


def best_of(batch, repeat=5) -> tuple[float, float]:
    """Best wall time of each integrator, alternating them so that both see the same machine load."""
    best = {run_euler: np.inf, run_exact: np.inf}
    for _ in range(repeat):
        for fn in best:
            start = time.perf_counter()
            fn(batch)
            best[fn] = min(best[fn], time.perf_counter() - start)
    return best[run_euler], best[run_exact]


def main() -> None:
    print(f"{'case':52s} {'euler s':>9s} {'exact s':>9s} {'ratio':>6s} {'exact neuron-steps/s':>21s}")
    for name, make in CASES.items():
        batch = make()
        t_euler, t_exact = best_of(batch)
        rate = batch.n * batch.n_steps / t_exact
        print(f"{name:52s} {t_euler:9.3f} {t_exact:9.3f} {t_exact / t_euler:6.2f} {rate:21.3g}")


if __name__ == "__main__":
    main()
