"""Simulate and gather stages of ``poisson_input``: Poisson events from the keyed streams, run by lifsim.sim.

The events of each neuron (``lifsim.noisy.poisson.event_times``, keyed by seed, stream, rate and trial)
become the batch's ``ext_time`` / ``ext_target``; ``lifsim.sim.exact.run_exact`` applies each at its own
time (x += g_star, tau_syn dx/dt = -x, tau_syn dg/dt = x - g). Per neuron the job keeps the time averages
of g and g^2 on the grid after the burn-in, the output spikes after it, and trial 0's V and g traces.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np

from .. import provenance


def neuron_arrays(params: dict):
    """(rates per neuron (Hz), neuron keys, grid axes) of a job."""
    from ..config.sweeps import expand
    from ..rng import keys_from_points, neuron_keys

    per = params["batch"]["per_point"]
    axes = [np.asarray(expand(spec), dtype=np.float64) for spec in params["grid"].values()]
    mesh = [m.ravel() for m in np.meshgrid(*axes, indexing="ij")]
    values = dict(zip(params["grid"], mesh, strict=True))
    keys = neuron_keys(params["poisson"]["seed"], params["poisson"]["stream"], keys_from_points(mesh, per))
    return np.repeat(values["rate"], per), keys, axes


def simulate_poisson(params, inputs=None, threads=None):
    from ..io import TRACE_ENCODING
    from ..sim.batch import from_params
    from ..sim.exact import run_exact
    from .content import content
    from .poisson import event_times

    rates, keys, axes = neuron_arrays(params)
    n, per = keys.size, params["batch"]["per_point"]
    plain = {**params, "grid": {}, "V_init": {"values": [params["neuron"]["E_m"]] * n}}
    batch = from_params(plain)
    who, when = event_times(keys, rates, params["dt"], batch.n_steps)
    order = np.argsort(when, kind="stable")
    batch = dataclasses.replace(batch, ext_time=when[order], ext_target=who[order].astype(np.int64))
    result = run_exact(batch)
    skip = int(round(params["burn_in"] / params["dt"]))
    g = result.traces["g_syn"][skip:]
    after = result.spike_time >= params["burn_in"]
    out_count = np.bincount(result.spike_neuron[after], minlength=n)
    window = params["duration"] - params["burn_in"]
    shape = (len(axes[0]), per)
    t = result.times[::1] * 1e3
    return content(
        encoding={"V_example": TRACE_ENCODING, "g_example": TRACE_ENCODING},
        data_vars={"g_mean": (("rate", "trial"), g.mean(axis=0).reshape(shape) * 1e9,
                    {"long_name": "time average of g_syn after the burn-in (on the grid)", "units": "nS"}),
         "g_sq_mean": (("rate", "trial"), (g * g).mean(axis=0).reshape(shape) * 1e18,
                       {"long_name": "time average of g_syn^2 after the burn-in", "units": "nS2"}),
         "n_samples": ((), np.int64(g.shape[0]), {"long_name": "grid samples per neuron in the averages",
                                                   "units": "1"}),
         "output_count": (("rate", "trial"), out_count.reshape(shape).astype(np.int32),
                          {"long_name": "output spikes after the burn-in", "units": "1"}),
         "input_count": (("rate", "trial"), np.bincount(who[when >= params["burn_in"]], minlength=n)
                         .reshape(shape).astype(np.int32),
                         {"long_name": "input events after the burn-in", "units": "1"}),
         "V_example": (("rate", "time"), result.traces["V"][:, ::per].T * 1e3,
                       {"long_name": "membrane potential of trial 0", "units": "mV"}),
         "g_example": (("rate", "time"), result.traces["g_syn"][:, ::per].T * 1e9,
                       {"long_name": "synaptic conductance of trial 0", "units": "nS"})},
        coords={"rate": ("rate", axes[0], {"long_name": "rate of the presynaptic Poisson train", "units": "Hz"}),
                "trial": ("trial", np.arange(per), {"long_name": "trial number within the point", "units": "1"}),
                "time": ("time", t, {"long_name": "time", "units": "ms", "axis": "T", "standard_name": "time"})},
        attrs={"title": f"lifsim poisson_input simulation: {params['experiment']} / {params['condition']}",
                "Conventions": "CF-1.10", "experiment": params["experiment"], "kind": params["kind"],
                "condition": params["condition"], "integrator": "exact", "window_ms": window * 1e3,
                "source": "lifsim conductance-based LIF neuron (lifsim.sim.exact) with Poisson input events",
                "random_streams": "Philox-4x32 keyed per neuron by (seed, stream, rate, trial): independent of "
                                  "the job split",
                **provenance.attributes(params)})


def gather_poisson(kind: str, experiment: str, datasets: dict):
    import xarray as xr

    names = sorted(datasets)
    params = {n: json.loads(datasets[n].attrs["lifsim_params"]) for n in names}
    out = xr.concat([datasets[n] for n in names], dim="rate", data_vars="minimal", coords="minimal",
                    compat="override", combine_attrs="override").sortby("rate")
    first = datasets[names[0]].attrs
    out.attrs = {k: first[k] for k in ("Conventions", "experiment", "kind", "integrator", "window_ms", "source",
                                       "random_streams")}
    out.attrs["title"] = f"lifsim {kind} experiment: {experiment}"
    out.attrs.update(provenance.attributes(params, list(params.values())))
    return out
