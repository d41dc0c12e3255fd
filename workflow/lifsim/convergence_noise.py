"""The noise case of the convergence study: the ISI rate under white noise against the Siegert rate, per dt.

A measurement job (built by ``lifsim.kinds.convergence``) holds a ``noisy_fi_curve`` job template: one
current, a sweep of sigma, ``trials`` neurons per sigma. At each of its dts the neurons run from V_reset
through :func:`lifsim.noisy.exact_noise.simulate`; the intervals that start in the window are pooled per
sigma. The process renews at every spike (V = V_reset, fresh noise), so these intervals are independent
draws of the first-passage time plus t_ref and the window may start at t = 0. Per sigma and dt:

``noise_rate``           1 / mean interval (Hz)
``noise_rate_error``     noise_rate / Siegert rate - 1 (signed)
``noise_rate_error_se``  its standard error: (interval std / mean) / sqrt(intervals), the delta method for
                         independent intervals

The random streams of a dt are keyed by the value of that dt (the stream name gains ``/dt=...``), so the
estimates at different dts are independent, and each is the same whatever other dts are run.
"""
from __future__ import annotations

import numpy as np

from . import provenance
from .dataset import make_content


def stream_at(job: dict, dt: float) -> dict:
    """The job at time step ``dt``, with the random stream of that dt."""
    noise = {**job["noise"], "stream": f"{job['noise']['stream']}/dt={dt * 1e3:.12g} ms"}
    return {**job, "dt": dt, "noise": noise}


def pooled_intervals(job: dict) -> dict:
    """Per sigma (in the grid's order): the pooled number, sum and sum of squares of the window's intervals."""
    from .noisy.exact_noise import simulate
    from .noisy.points import effective_neuron, interval_sums, point_arrays

    names, shape, values, keys = point_arrays(job)
    n = keys.size
    if [s for name, s in zip(names, shape) if name != "sigma"] != [1] * (len(names) - 1):
        raise ValueError("the noise case runs one point per sigma")
    e = effective_neuron(job, values, n)
    index, times = simulate(job["integrator"], keys, e["mu"], e["tau"], e["sigma"], e["theta"], e["V_reset"],
                            e["t_ref"], job["duration"], job["dt"], V0=e["V_reset"])
    sums = interval_sums(index, times, n, *job["window"])
    per = job["batch"]["per_point"]
    return {k: sums[k].reshape(-1, per).sum(axis=1) for k in ("n_isi", "isi_sum", "isi_sumsq", "censored")}


def rate_and_error(sums: dict, siegert: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rate Hz, relative error, its standard error) from pooled interval sums."""
    n = sums["n_isi"].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums["isi_sum"] / n
        var = np.clip((sums["isi_sumsq"] - n * mean**2) / (n - 1), 0.0, None)
        rate = 1.0 / mean
        rel_se = np.sqrt(var) / mean / np.sqrt(n) * rate / siegert
    return rate, rate / siegert - 1.0, rel_se


def siegert_rates(job: dict) -> tuple[np.ndarray, np.ndarray]:
    """(sigma values (V), Siegert rate (Hz) per sigma) of the job's grid."""
    from .analysis.siegert import siegert_rate
    from .config.sweeps import expand
    from .noisy.points import effective_neuron

    sigma = np.asarray(expand(job["grid"]["sigma"]), dtype=np.float64)
    values = {name: np.full(sigma.size, expand(spec)[0]) for name, spec in job["grid"].items() if name != "sigma"}
    e = effective_neuron(job, {**values, "sigma": sigma}, sigma.size)
    return sigma, np.asarray(siegert_rate(e["mu"], e["sigma"], e["theta"], e["V_reset"], e["tau"], e["t_ref"]))


def measure_noise(params: dict) -> dict:
    """One measurement job of the noise case: its integrator at each of its dts."""
    job = params["job"]
    sigma, siegert = siegert_rates(job)
    rows = {k: [] for k in ("rate", "error", "se", "n_isi", "censored")}
    for dt in params["dts"]:
        sums = pooled_intervals(stream_at(job, dt))
        rate, err, se = rate_and_error(sums, siegert)
        for key, value in zip(("rate", "error", "se", "n_isi", "censored"),
                              (rate, err, se, sums["n_isi"], sums["censored"])):
            rows[key].append(value)
    two = ("sigma", "dt")
    stack = lambda key: np.asarray(rows[key]).T  # noqa: E731  (sigma, dt)
    data = {
        "noise_rate": (two, stack("rate"), {"long_name": "ISI rate under white noise, 1 / mean interval",
                                            "units": "Hz"}),
        "noise_rate_siegert": (("sigma",), siegert, {"long_name": "Siegert (Ricciardi) first-passage rate with "
                                                     "refractory period", "units": "Hz"}),
        "noise_rate_error": (two, stack("error"), {"long_name": "relative error of the ISI rate under white noise "
                                                   "against the Siegert rate (signed)", "units": "1"}),
        "noise_rate_error_se": (two, stack("se"), {"long_name": "standard error of noise_rate_error (interval CV / "
                                                   "sqrt(intervals), relative to the Siegert rate)",
                                                   "units": "1"}),
        "noise_n_isi": (two, stack("n_isi").astype(np.int64), {"long_name": "pooled intervals that start in the "
                                                               "window", "units": "1"}),
        "noise_censored": (two, stack("censored").astype(np.int64), {
            "long_name": "window spikes whose next spike falls after the run (intervals missing)", "units": "1"}),
    }
    coords = {"sigma": ("sigma", np.round(sigma * 1e3, 12), {
                  "long_name": "white-noise amplitude sigma (Brunel; free-membrane std sigma/sqrt(2))",
                  "units": "mV"}),
              "dt": ("dt", np.asarray(params["dts"]) * 1e3, {"long_name": "integration time step", "units": "ms"})}
    return make_content(data, coords, {"integrator": params["integrator"], "case": params["case"],
                                       "condition": params["condition"], "measure": params["measure"],
                                       **provenance.attributes(params)})
