"""Simulate and gather stages of ``noisy_fi_curve`` (see lifsim.kinds.noisy_fi_curve for the params).

A job's dataset has one dimension per swept parameter (the noise's always, of length one when not swept:
``sigma`` for white noise, ``std`` and ``tau`` for an OU current) and ``trial``; per neuron it holds the
spike count in the window, the sum and the sum of squares of its intervals that start in the window
(pooled by the analysis: the same as pooling the intervals), their number, the window spikes with no
successor (``censored``), and every spike time (CF contiguous ragged array) when ``record_spikes``. Without
spike times, white noise's compiled kernel tallies these sums as the spikes occur (:mod:`lifsim.noisy.tallies`,
the same numbers), so no spike is kept or sorted.
"""
from __future__ import annotations

import json

import numpy as np

from .. import provenance, units
from ..params import NEURON_PARAMS
from .points import coloured_neuron, effective_neuron, interval_sums, point_arrays

NOISE_CONVENTION = ("white noise in Brunel's convention: tau_m dV = (...) dt + sigma sqrt(tau_m) dW, so the free "
                    "membrane potential has standard deviation sigma/sqrt(2); with tonic conductances the "
                    "neuron is simulated in the effective form (mu, tau_m / L, sigma / sqrt(L)), "
                    "L = 1 + R_m (g_exc + g_inh)")
SCHEMES = {"exact": "exact Gaussian (OU) transition of V with a Brownian-bridge crossing test inside each step; "
                    "spike times drawn inside the step",
           "euler": "Euler-Maruyama, threshold tested on the grid (spike times on the grid)"}
OU_CONVENTION = ("Ornstein-Uhlenbeck current added to I_e: dI = -I / tau dt + std sqrt(2 / tau) dW (stationary "
                 "standard deviation std, correlation time tau); with tonic conductances V follows "
                 "(tau_m / L) dV = (-(V - mu) + (R_m / L) I) dt, L = 1 + R_m (g_exc + g_inh)")
OU_SCHEMES = {"exact": "exact OU transition of the current and exact joint Gaussian transition of (V, I) over each "
                       "step; threshold at the step's end, spike time from the cubic Hermite interpolant of V",
              "euler": "Euler-Maruyama for the current and V, threshold tested on the grid (spike times on the grid)"}
NOISE_COORDS = {"sigma": ("voltage", "white-noise amplitude sigma (Brunel; free-membrane std sigma/sqrt(2))"),
                "std": ("current", "OU current noise: stationary standard deviation"),
                "tau": ("time", "OU current noise: correlation time")}


def run_neurons(params: dict, values: dict, keys, threads=None) -> tuple[np.ndarray, np.ndarray, dict]:
    """(neuron index, spike time, {kernel, threads}) of the job's neurons, white noise or an OU current.

    Both noises run the compiled kernel where it pays (up to ``threads`` threads), else the NumPy reference."""
    from ..config.noise import COLOURED, noise_dims

    n = keys.size
    if noise_dims(params["noise"], params["grid"]) == COLOURED:
        from .ou_current import simulate_with_info as simulate_ou  # numba: only where a job simulates

        e = coloured_neuron(params, values, n)
        index, times, _, _, info = simulate_ou(params["integrator"], keys, e["mu"], e["tau"], e["R_in"], e["std"],
                                               e["tau_s"], e["theta"], e["V_reset"], e["t_ref"], params["duration"],
                                               params["dt"], V0=e["V_reset"], threads=threads)
        return index, times, info
    from .exact_noise import simulate_with_info  # numba: only where a job simulates

    e = effective_neuron(params, values, n)
    return simulate_with_info(params["integrator"], keys, e["mu"], e["tau"], e["sigma"], e["theta"], e["V_reset"],
                              e["t_ref"], params["duration"], params["dt"], V0=e["V_reset"], threads=threads)


def white_noise_sums(params: dict, values: dict, keys, threads=None) -> tuple[dict, dict]:
    """(``interval_sums`` of the job's window without ``order``, {kernel, threads}) under white noise, no spike
    times kept: the compiled kernel tallies its spikes as they occur (the same numbers)."""
    from .exact_noise import simulate_sums  # numba: only where a job simulates

    e = effective_neuron(params, values, keys.size)
    return simulate_sums(params["integrator"], keys, e["mu"], e["tau"], e["sigma"], e["theta"], e["V_reset"],
                         e["t_ref"], params["duration"], params["dt"], params["window"], V0=e["V_reset"],
                         threads=threads)


def simulate_noisy_fi(params: dict, inputs=None, threads=None):
    """One job: its neurons through ``lifsim.noisy.exact_noise`` or ``ou_current`` (the compiled kernel where it
    pays, with up to ``threads`` threads); content for ``lifsim.io``."""
    from ..config.noise import COLOURED, noise_dims
    from ..config.sweeps import expand
    from .content import content

    names, shape, values, keys = point_arrays(params)
    n = keys.size
    record = params.get("record_spikes", True)
    if record or noise_dims(params["noise"], params["grid"]) == COLOURED:
        index, times, info = run_neurons(params, values, keys, threads)
        sums = interval_sums(index, times, n, *params["window"])
    else:
        sums, info = white_noise_sums(params, values, keys, threads)
    per = params["batch"]["per_point"]
    unswept = tuple(d for d in noise_dims(params["noise"], params["grid"]) if d not in names)
    dims = tuple(names) + unswept + ("trial",)
    full_shape = tuple(shape) + (1,) * len(unswept) + (per,)
    cube = lambda a: np.asarray(a).reshape(full_shape)  # noqa: E731
    coords = {}
    for name, spec in params["grid"].items():
        dimension, long_name = NOISE_COORDS.get(name) or NEURON_PARAMS[name]
        coords[name] = coordinate(name, expand(spec), dimension, long_name)
    for name in unswept:
        coords[name] = coordinate(name, [params["noise"][name]], *NOISE_COORDS[name])
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
    if record:
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
    from ..config.noise import COLOURED, noise_dims

    t0, t1 = params["window"]
    ou = noise_dims(params["noise"], params["grid"]) == COLOURED
    source = ("an Ornstein-Uhlenbeck current (lifsim.noisy.ou_current: NumPy reference or its compiled twin, the "
              "same spikes)" if ou else
              "white noise (lifsim.noisy.exact_noise: NumPy reference or its compiled twin, the same spikes)")
    attrs = {"title": f"lifsim {params['kind']} simulation: {params['experiment']} / {params['condition']}",
             "Conventions": "CF-1.10", "source": "lifsim leaky integrate-and-fire neuron with " + source,
             "kernel": info["kernel"], "kernel_threads": int(info["threads"]),
             "experiment": params["experiment"], "kind": params["kind"], "condition": params["condition"],
             "noise_convention": OU_CONVENTION if ou else NOISE_CONVENTION, "integrator": params["integrator"],
             "scheme": (OU_SCHEMES if ou else SCHEMES)[params["integrator"]], "window_ms": json.dumps([t0 * 1e3, t1 * 1e3]),
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
