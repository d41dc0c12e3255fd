"""Simulate and gather stages of ``noisy_fi_curve`` (see lifsim.kinds.noisy_fi_curve for the params).

A job's dataset has one dimension per swept parameter (``sigma`` always, of length one when it is
not swept) and ``trial``; per neuron it holds the spike count in the window, the sum and the sum of
squares of its intervals that start in the window (pooled by the analysis: the same as pooling the
intervals), their number, the window spikes with no successor (``censored``), and every spike time
(CF contiguous ragged array) when ``record_spikes``.
"""
from __future__ import annotations

import json

import numpy as np

from .. import provenance, units
from ..params import NEURON_PARAMS
from .exact_noise import simulate_with_info

NOISE_CONVENTION = ("white noise in Brunel's convention: tau_m dV = (...) dt + sigma sqrt(tau_m) dW, so the free "
                    "membrane potential has standard deviation sigma/sqrt(2); with tonic conductances the "
                    "neuron is simulated in the effective form (mu, tau_m / L, sigma / sqrt(L)), "
                    "L = 1 + R_m (g_exc + g_inh)")
SCHEMES = {"exact": "exact Gaussian (OU) transition of V with a Brownian-bridge crossing test inside each step; "
                    "spike times drawn inside the step",
           "euler": "Euler-Maruyama, threshold tested on the grid (spike times on the grid)"}
SIGMA_LONG_NAME = "white-noise amplitude sigma (Brunel; free-membrane std sigma/sqrt(2))"


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


def simulate_noisy_fi(params: dict, inputs=None, threads=None):
    """One job: its neurons through ``lifsim.noisy.exact_noise.simulate`` (the compiled kernel where it pays,
    with up to ``threads`` threads); content for ``lifsim.io``."""
    from ..config.sweeps import expand
    from .content import content

    names, shape, values, keys = point_arrays(params)
    n = keys.size
    e = effective_neuron(params, values, n)
    index, times, info = simulate_with_info(params["integrator"], keys, e["mu"], e["tau"], e["sigma"], e["theta"],
                                            e["V_reset"], e["t_ref"], params["duration"], params["dt"], V0=e["V_reset"],
                                            threads=threads)
    t0, t1 = params["window"]
    sums = interval_sums(index, times, n, t0, t1)
    per = params["batch"]["per_point"]
    dims = tuple(names) + (() if "sigma" in names else ("sigma",)) + ("trial",)
    full_shape = tuple(shape) + (() if "sigma" in names else (1,)) + (per,)
    cube = lambda a: np.asarray(a).reshape(full_shape)  # noqa: E731
    coords = {}
    for name, spec in params["grid"].items():
        axis = expand(spec)
        dimension, long_name = ("voltage", SIGMA_LONG_NAME) if name == "sigma" else NEURON_PARAMS[name]
        coords[name] = coordinate(name, axis, dimension, long_name)
    if "sigma" not in names:
        coords["sigma"] = coordinate("sigma", [params["noise"]["sigma"]], "voltage", SIGMA_LONG_NAME)
    coords["trial"] = ("trial", np.arange(per), {"long_name": "trial number within the point", "units": "1"})
    data = {
        "window_count": (dims, cube(sums["count"]).astype(np.int32),
                         {"long_name": "number of spikes in the counting window", "units": "1"}),
        "n_isi": (dims, cube(sums["n_isi"]).astype(np.int32),
                  {"long_name": "number of inter-spike intervals that start in the window", "units": "1"}),
        "isi_sum": (dims, cube(sums["isi_sum"]) * 1e3,
                    {"long_name": "sum of the intervals that start in the window", "units": "ms"}),
        "isi_sumsq": (dims, cube(sums["isi_sumsq"]) * 1e6,
                      {"long_name": "sum of the squares of the intervals that start in the window", "units": "ms2"}),
        "censored": (dims, cube(sums["censored"]).astype(np.int32),
                     {"long_name": "spikes in the window whose next spike falls after the run", "units": "1"}),
    }
    if params.get("record_spikes", True):
        data["spike_count"] = (dims, cube(np.bincount(index, minlength=n)).astype(np.int32),
                               {"long_name": "number of spikes of each train", "units": "1",
                                "sample_dimension": "spike"})
        data["spike_time"] = (("spike",), times[sums["order"]] * 1e3, {"long_name": "spike time", "units": "ms"})
    return content(coords, data, job_attributes(params, info))


def coordinate(name, values, dimension, long_name):
    from ..dataset import decimal_coordinate

    shown = decimal_coordinate(units.to_display(np.asarray(values, dtype=np.float64), dimension))
    return (name, shown, {"long_name": long_name, "units": units.DISPLAY_UNITS[dimension]})


def job_attributes(params: dict, info: dict) -> dict:
    """The job dataset's attributes; ``info``: the kernel that ran and its threads."""
    t0, t1 = params["window"]
    attrs = {"title": f"lifsim {params['kind']} simulation: {params['experiment']} / {params['condition']}",
             "Conventions": "CF-1.10", "source": "lifsim leaky integrate-and-fire neuron with white noise "
             "(lifsim.noisy.exact_noise: NumPy reference or its compiled twin, the same spikes)",
             "kernel": info["kernel"], "kernel_threads": int(info["threads"]),
             "experiment": params["experiment"], "kind": params["kind"], "condition": params["condition"],
             "noise_convention": NOISE_CONVENTION, "integrator": params["integrator"],
             "scheme": SCHEMES[params["integrator"]], "window_ms": json.dumps([t0 * 1e3, t1 * 1e3]),
             "duration_ms": params["duration"] * 1e3,
             "random_streams": "Philox-4x32 keyed per neuron by (seed, stream, point values, trial): "
                               "independent of the job split"}
    attrs.update(provenance.attributes(params))
    return attrs


def gather_noisy_fi(kind: str, experiment: str, datasets: dict):
    """The jobs' datasets joined along the grid's first dimension (sorted), spike trains kept ragged."""
    import xarray as xr

    from .. import spikes

    parts, params = [], {}
    for name, ds in sorted(datasets.items()):
        params[name] = json.loads(ds.attrs["lifsim_params"])
        if "spike_time" in ds:
            ds = ds.drop_vars("spike_time").assign(spike_train=spikes.trains(ds))
        parts.append(ds)
    first_dim = next(iter(params[sorted(params)[0]]["grid"]))
    out = xr.concat(parts, dim=first_dim, data_vars="minimal", coords="minimal", compat="override",
                    combine_attrs="override").sortby(first_dim)
    if "spike_train" in out:
        trains = out["spike_train"].transpose(*out["spike_count"].dims).values.ravel()
        out = out.drop_vars("spike_train")
        times = np.concatenate([np.asarray(t, dtype=np.float64) for t in trains]) if trains.size else np.zeros(0)
        out["spike_time"] = (("spike",), times, {"long_name": "spike time", "units": "ms"})
    first = next(iter(datasets.values())).attrs
    keep = ("Conventions", "source", "experiment", "kind", "noise_convention", "integrator", "scheme",
            "window_ms", "duration_ms", "random_streams")
    out.attrs = {k: first[k] for k in keep if k in first}
    out.attrs["kernel"] = ", ".join(sorted({str(ds.attrs.get("kernel", "numpy")) for ds in datasets.values()}))
    out.attrs["title"] = f"lifsim {kind} experiment: {experiment}"
    out.attrs.update(provenance.attributes(params, list(params.values())))
    return out
