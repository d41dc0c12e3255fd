"""Analysis of ``stimulus_response``: spike times, and the step response against its closed form.

For a condition whose stimulus is one step (amplitude A on [t1, t2)), before its first spike:
V(t) = mu + (E_m - mu) e^{-t/tau} + R_in A (e^{-max(t - t2, 0)/tau} - e^{-(t - t1)/tau}) for t >= t1
(the second exponential term only from t1; the first factor is 1 before t2), with mu, tau and
R_in of the neuron with its tonic conductances. Written independently of ``lifsim.stimulus``.
"""
from __future__ import annotations

import json

import numpy as np


def step_closed_form(t, E_m, mu, tau, R_in, A, t1, t2):
    """V(t) (SI) of the passive membrane from V(0) = E_m under I_e (in mu) plus a step A on [t1, t2)."""
    t = np.asarray(t, dtype=np.float64)
    V = mu + (E_m - mu) * np.exp(-t / tau)
    on = t >= t1
    rise = np.where(on, np.exp(-np.maximum(t - t2, 0.0) / tau) - np.exp(-np.where(on, t - t1, 0.0) / tau), 0.0)
    return V + R_in * A * rise


def analyse_stimulus(ds, options):
    import xarray as xr

    from .. import spikes
    from .siegert import brunel_parameters
    from .theory import leak_factor

    params = json.loads(ds.attrs["lifsim_params"])
    t = ds["time"].values * 1e-3
    conds = list(ds["condition"].values)
    trains = spikes.trains(ds)
    err = np.full(len(conds), np.nan)
    reasons = []
    first = np.full(len(conds), np.nan)
    for i, cond in enumerate(conds):
        train = trains.sel(condition=cond).item()
        if train.size:
            first[i] = train[0]
        comps = json.loads(str(ds["stimulus"].sel(condition=cond).item()))
        p = params[cond]["neuron"]
        if len(comps) != 1 or comps[0]["kind"] != "step":
            reasons.append(f"{cond}: not a single step")
            continue
        c = comps[0]
        mu, tau, _ = brunel_parameters(p["E_m"], p["R_m"], p["tau_m"], 0.0, p.get("I_e", 0.0), p.get("g_exc", 0.0),
                                       p.get("E_exc", 0.0), p.get("g_inh", 0.0), p.get("E_inh", 0.0))
        R_in = p["R_m"] / leak_factor(p["R_m"], p.get("g_exc", 0.0), p.get("g_inh", 0.0))
        closed = step_closed_form(t, p["E_m"], float(mu), float(tau), float(R_in), c["amplitude"], c["start"],
                                  c["stop"])
        before = t < (first[i] * 1e-3 if train.size else np.inf)
        err[i] = np.max(np.abs(ds["V"].sel(condition=cond).values[before] * 1e-3 - closed[before])) * 1e3
    out = xr.Dataset({
        "n_spikes": ds["spike_count"].astype(np.int32).assign_attrs(long_name="number of spikes", units="1"),
        "first_spike": (("condition",), first, {"long_name": "time of the first spike (NaN: none)", "units": "ms"}),
        "step_error": (("condition",), err, {
            "long_name": "largest |V - closed form| of the step response before the first spike", "units": "mV",
            "comment": "NaN where the stimulus is not a single step: " + ("; ".join(reasons) or "none")}),
        "mean_rate": (("condition",), ds["spike_count"].values / (t[-1] - t[0]),
                      {"long_name": "spike count / duration", "units": "Hz"}),
    }, coords={"condition": ds["condition"]})
    return out
