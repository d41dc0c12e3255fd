"""Rate error of the white-noise integrators against the Siegert rate, per sigma and mu, dt = 0.1 ms.

    python benchmarks/noise_accuracy.py [--n 2000] [--dt 1e-4] [--mu -56 -50] [--sigma 2 4 6]

theta = -54 mV, V_reset = -80 mV, tau_m = 10 ms, t_ref = 2 ms. Rates from the ISIs that start
in [0.2 s, 1.7 s] (burn-in 0.2 s), followed for a tail of max(0.5 s, 12 / rate) so that every one
is seen to its end (the `censored` column counts those that were not). SE = rate CV / sqrt(n_isi).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--dt", type=float, default=1e-4)
    ap.add_argument("--mu", type=float, nargs="+", default=[-56.0, -50.0], help="mV")
    ap.add_argument("--sigma", type=float, nargs="+", default=[2.0, 4.0, 6.0], help="mV (Brunel's sigma)")
    args = ap.parse_args()
    from lifsim.analysis.siegert import siegert_rate
    from lifsim.noisy.exact_noise import simulate
    from lifsim.noisy.isi import isi_rate
    from lifsim.rng import keys_from_points, neuron_keys

    theta, V_r, tau, t_ref, burn, stop = -54e-3, -80e-3, 10e-3, 2e-3, 0.2, 1.7
    print(f"{'mu/mV':>6} {'sigma/mV':>8} {'scheme':>6} {'Siegert/Hz':>10} {'rate/Hz':>9} {'SE/Hz':>7} "
          f"{'error/%':>8} {'SE/%':>6} {'CV':>5} {'n_isi':>7} {'censored':>8}")
    for mu in args.mu:
        for sigma in args.sigma:
            m, s = mu * 1e-3, sigma * 1e-3
            theory = float(siegert_rate(m, s, theta, V_r, tau, t_ref))
            duration = stop + max(0.5, 12.0 / theory)
            keys = neuron_keys(1, f"accuracy/mu={mu}/sigma={sigma}", keys_from_points([np.array([m])], args.n))
            for scheme in ("exact", "euler"):
                idx, t = simulate(scheme, keys, m, tau, s, theta, V_r, t_ref, duration, args.dt)
                r = isi_rate(idx, t, args.n, burn, stop)
                err, se = 100 * (r["rate"] / theory - 1), 100 * r["se"] / theory
                print(f"{mu:>6.1f} {sigma:>8.1f} {scheme:>6} {theory:>10.3f} {r['rate']:>9.3f} {r['se']:>7.3f} "
                      f"{err:>+8.2f} {se:>6.2f} {r['cv']:>5.2f} {r['n_isi']:>7} {r['censored']:>8}", flush=True)


if __name__ == "__main__":
    main()
