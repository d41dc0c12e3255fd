"""The neurons of a ``noisy_fi_curve`` job: their parameter values, random-stream keys and effective model, and
the per-neuron interval sums of their spike trains (pure functions; shared by the job and the convergence study's
noise case, which must not import the job's dataset code)."""
from __future__ import annotations

import numpy as np


def point_arrays(params: dict):
    """(grid names, grid shape, {name: (n,) SI values per neuron}, neuron keys) of a job."""
    from ..config.sweeps import expand, size
    from ..rng import keys_from_points, neuron_keys

    grid, per = params["grid"], params["batch"]["per_point"]
    axes = [np.asarray(expand(spec), dtype=np.float64) for spec in grid.values()]
    mesh = [m.ravel() for m in np.meshgrid(*axes, indexing="ij")]
    values = {name: np.repeat(m, per) for name, m in zip(grid, mesh, strict=True)}
    noise = params["noise"]
    keys = neuron_keys(noise["seed"], noise["stream"], keys_from_points(mesh, per))
    return list(grid), [size(s) for s in grid.values()], values, keys


def effective_neuron(params: dict, values: dict, n: int) -> dict:
    """mu, tau, sigma (Brunel's effective form), theta, V_reset, t_ref per neuron (SI)."""
    from ..analysis.siegert import brunel_parameters

    p = {**params["neuron"], **values}
    sigma = p.get("sigma", params["noise"].get("sigma", 0.0))
    mu, tau, sig = brunel_parameters(p["E_m"], p["R_m"], p["tau_m"], sigma, p.get("I_e", 0.0), p.get("g_exc", 0.0),
                                     p.get("E_exc", 0.0), p.get("g_inh", 0.0), p.get("E_inh", 0.0))
    full = lambda a: np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))  # noqa: E731
    return {"mu": full(mu), "tau": full(tau), "sigma": full(sig), "theta": full(p["V_thr"]),
            "V_reset": full(p.get("V_reset", p["E_m"])), "t_ref": full(p["t_ref"])}


def coloured_neuron(params: dict, values: dict, n: int) -> dict:
    """The effective neuron without white noise, plus R_in = R_m / L and the OU current's std and tau (SI)."""
    e = effective_neuron({**params, "noise": {**params["noise"], "sigma": 0.0}}, values, n)
    p = {**params["neuron"], **values}
    full = lambda a: np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))  # noqa: E731
    noise = {k: full(values[k]) if k in values else full(params["noise"][k]) for k in ("std", "tau")}
    return {**e, "R_in": full(p["R_m"] * e["tau"] / p["tau_m"]), "std": noise["std"], "tau_s": noise["tau"]}


def interval_sums(index, times, n: int, t0: float, t1: float) -> dict:
    """Per neuron: spikes in [t0, t1), and the count, sum and sum of squares of intervals starting there."""
    order = np.lexsort((times, index))
    idx, t = np.asarray(index)[order], np.asarray(times)[order]
    in_window = (t >= t0) & (t < t1)
    has_next = np.r_[idx[1:] == idx[:-1], False]
    isi = np.r_[t[1:] - t[:-1], 0.0]
    use = in_window & has_next
    return {"count": np.bincount(idx[in_window], minlength=n),
            "n_isi": np.bincount(idx[use], minlength=n),
            "isi_sum": np.bincount(idx[use], isi[use], minlength=n),
            "isi_sumsq": np.bincount(idx[use], isi[use] ** 2, minlength=n),
            "censored": np.bincount(idx[in_window & ~has_next], minlength=n),
            "order": order}
