"""Simulate and gather stages of ``stimulus_response``: one neuron per condition, V and I on the grid.

Spike times come from the exact scheme (``lifsim.noisy.exact_noise.simulate`` with sigma = 0: the
stimulus' exact integral over each step, the crossing inside the step from the step's exponential
relaxation). V on the grid is then the closed-form solution from the last release (spike + t_ref, or 0):
V(t) = mu + (V_r - mu) e^{-(t - r)/tau} + (R_in / tau) integral_r^t e^{-(t - s)/tau} I(s) ds, V_reset
while refractory; I(t) = I_e + the stimulus.
"""
from __future__ import annotations

import json

import numpy as np

from .. import provenance, stimulus
from ..analysis.siegert import brunel_parameters
from ..analysis.theory import leak_factor

NO_NOISE = np.zeros(1, dtype=np.uint64)   # sigma = 0 draws nothing that matters


def trace(components, mu, tau, R_in, V0, release_times, t_ref, V_reset, times):
    """V at ``times`` given the spike times (``release_times`` = spikes + t_ref)."""
    starts = np.r_[0.0, release_times]
    which = np.searchsorted(starts, times, side="right") - 1
    a = starts[which]
    v_start = np.where(which == 0, V0, V_reset)
    V = mu + (v_start - mu) * np.exp(-(times - a) / tau)
    if components:
        V = V + R_in / tau * stimulus.exp_weighted_integral(components, a, times, tau)
    spikes = release_times - t_ref
    refractory = (which >= 0) & (np.searchsorted(spikes, times, side="right") > which)
    return np.where(refractory, V_reset, V)


def simulate_stimulus(params, inputs=None, threads=None):
    from ..io import TRACE_ENCODING
    from .content import content

    p = params["neuron"]
    reset = params["reset"]
    mu, tau, _ = brunel_parameters(p["E_m"], p["R_m"], p["tau_m"], 0.0, p.get("I_e", 0.0), p.get("g_exc", 0.0),
                                   p.get("E_exc", 0.0), p.get("g_inh", 0.0), p.get("E_inh", 0.0))
    mu, tau = float(mu), float(tau)
    R_in = p["R_m"] / float(leak_factor(p["R_m"], p.get("g_exc", 0.0), p.get("g_inh", 0.0)))
    theta = p["V_thr"] if reset else np.inf
    V_reset = p.get("V_reset", p["E_m"]) if reset else p["E_m"]
    t_ref = p["t_ref"] if reset else params["dt"]
    V0 = p["E_m"]
    components = params["stimulus"]
    from .exact_noise import simulate_with_info  # numba: only where a job simulates

    _, spikes, info = simulate_with_info("exact", NO_NOISE, mu, tau, 0.0, theta, V_reset, t_ref, params["duration"],
                                         params["dt"], R_in=R_in, components=components, V0=V0, threads=threads)
    times = np.arange(int(round(params["duration"] / params["dt"])) + 1) * params["dt"]
    V = trace(components, mu, tau, R_in, V0, spikes + t_ref, t_ref, V_reset, times)
    current = p.get("I_e", 0.0) + stimulus.value(components, times)
    return content(
        coords={"time": ("time", times * 1e3, {"long_name": "time", "units": "ms", "axis": "T",
                                               "standard_name": "time"})},
        encoding={"I": TRACE_ENCODING},   # V in float64: the step response is checked to rounding
        data_vars={"V": (("time",), V * 1e3, {"long_name": "membrane potential", "units": "mV"}),
         "I": (("time",), current * 1e9, {"long_name": "injected current I_e + stimulus", "units": "nA"}),
         "spike_count": ((), np.int32(spikes.size), {"long_name": "number of spikes", "units": "1",
                                                     "sample_dimension": "spike"}),
         "spike_time": (("spike",), spikes * 1e3, {"long_name": "spike time", "units": "ms"})},
        attrs={"title": f"lifsim stimulus_response simulation: {params['experiment']} / {params['condition']}",
                "Conventions": "CF-1.10", "experiment": params["experiment"], "kind": params["kind"],
                "condition": params["condition"], "integrator": "exact",
                "kernel": info["kernel"], "kernel_threads": int(info["threads"]),
                "stimulus": json.dumps(components), "noise_convention": "no noise (sigma = 0)",
                "source": "lifsim leaky integrate-and-fire neuron, constant conductances, exact stimulus integral",
                **provenance.attributes(params)})


def gather_stimulus(kind: str, experiment: str, datasets: dict):
    """The conditions stacked along ``condition`` (by name); spikes as a ragged array per condition."""
    import xarray as xr

    names = sorted(datasets)
    params = {n: json.loads(datasets[n].attrs["lifsim_params"]) for n in names}
    out = xr.Dataset(
        {"V": xr.concat([datasets[n]["V"] for n in names], "condition"),
         "I": xr.concat([datasets[n]["I"] for n in names], "condition"),
         "spike_count": (("condition",), np.array([int(datasets[n]["spike_count"]) for n in names], np.int32),
                         {"long_name": "number of spikes of each condition", "units": "1",
                          "sample_dimension": "spike"}),
         "spike_time": (("spike",), np.concatenate([datasets[n]["spike_time"].values for n in names]),
                        {"long_name": "spike time", "units": "ms"})},
        coords={"condition": ("condition", np.array(names, dtype=object), {"long_name": "condition name"})})
    out["stimulus"] = (("condition",), np.array([datasets[n].attrs["stimulus"] for n in names], dtype=object),
                       {"long_name": "the condition's stimulus components (JSON, SI units)"})
    out.attrs = {"title": f"lifsim {kind} experiment: {experiment}", "Conventions": "CF-1.10",
                 "experiment": experiment, "kind": kind, "integrator": "exact",
                 "noise_convention": "no noise (sigma = 0)", **provenance.attributes(params, list(params.values()))}
    return out
