"""Trials from different initial voltages: spike times, ISIs and the lag behind trial 0, against theory.

Once a trial has fired, V restarts from V_reset with the same drive as every
other trial, so all trials follow the same trajectory shifted in time: the lag
behind trial 0 is fixed by the first spike and never changes (exactly, for any
integrator). Theory for the first spike: t_1 = tau_eff ln((V_inf - V_0) / (V_inf - V_thr)).
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from .. import spikes, units
from . import theory
from .rates import analytical_rate


def analyse_trials(ds: xr.Dataset, options: dict) -> xr.Dataset:
    """Per trial: spike times, ISIs, and the lag of each spike behind trial 0's spike of the same index."""
    t = spikes.padded(ds)
    if t.sizes["spike_index"] == 0:            # no trial fired: one column of NaN, so every measure is NaN
        t = t.pad(spike_index=(0, 1), constant_values=np.nan).assign_coords(spike_index=[0])
    t = t.assign_coords(spike_index=("spike_index", t["spike_index"].values, {
        "long_name": "index of the spike in its trial", "units": "1"}))
    isi = t.diff("spike_index").assign_attrs(long_name="inter-spike interval", units="ms")
    lag = (t - t.sel(trial=0)).assign_attrs(long_name="spike time minus trial 0's spike of the same index",
                                            units="ms")
    period = isi.mean(("trial", "spike_index"))
    phase = ((lag / period) % 1.0).assign_attrs(long_name="phase lag behind trial 0, lag / mean ISI mod 1",
                                               units="1")
    out = xr.Dataset({"spike_time": t, "isi": isi, "lag": lag, "phase_lag": phase,
                      "lag_spread": (lag.max("spike_index") - lag.min("spike_index")).assign_attrs(
                          long_name="largest minus smallest lag over the spikes (0: constant lag)", units="ms"),
                      "lag_mean": lag.mean("spike_index").assign_attrs(long_name="mean lag behind trial 0",
                                                                       units="ms")})
    for name in ("lag", "phase_lag", "lag_spread", "lag_mean"):
        out[name].attrs["comment"] = "NaN where the trial or trial 0 has no spike of that index"
    return out.merge(_theory(ds))


def _theory(ds: xr.Dataset) -> xr.Dataset:
    """First-spike times, lags and the period from the closed forms, per case and trial (any swept dims)."""
    names = ("tau_m", "R_m", "E_m", "E_exc", "E_inh", "g_exc", "g_inh", "I_e", "V_thr", "V_reset", "t_ref")
    V0 = theory.si_array(ds["V_init"])                                 # (condition, [swept...], trial)
    case = V0.isel(trial=0, drop=True)
    unused = [k for k in names if k not in ds]       # reset off: the run used no threshold, reset or t_ref
    nan = xr.full_like(case, np.nan)
    p = dict(zip(names, xr.broadcast(*(theory.si_array(ds[k]) if k in ds else nan for k in names), case)))
    a = {k: v.transpose(*case.dims).values for k, v in p.items()}
    V_inf = theory.effective_rest(a["E_m"], a["R_m"], a["g_exc"], a["E_exc"], a["g_inh"], a["E_inh"], a["I_e"])
    tau = theory.effective_tau(a["tau_m"], a["R_m"], a["g_exc"], a["g_inh"])
    V0 = V0.transpose(*case.dims, "trial")
    first = theory.first_spike_time(V0.values, V_inf[..., None], a["V_thr"][..., None], tau[..., None])
    # the period: the f-I rate with the effective membrane (R_in I_e + V_inf(0) = V_inf)
    rate = analytical_rate(0.0, tau, 1.0, V_inf, a["V_thr"], a["V_reset"], a["t_ref"])
    dims = V0.dims
    coords = {k: c for k, c in V0.coords.items() if set(c.dims) <= set(dims)}
    first_ms = units.to_display(first, "time")
    lag = first_ms - first_ms[..., :1]
    out = xr.Dataset({
        "first_spike_theory": xr.DataArray(first_ms, dims=dims, coords=coords, attrs={
            "long_name": "first spike time tau_eff ln((V_inf - V_0) / (V_inf - V_thr))", "units": "ms",
            "comment": "NaN where V_inf <= V_thr (the neuron never fires)"}),
        "lag_theory": xr.DataArray(lag, dims=dims, coords=coords, attrs={
            "long_name": "lag behind trial 0 from the first-spike times", "units": "ms"}),
        "period_theory": xr.DataArray(units.to_display(np.where(rate > 0, 1.0 / np.where(rate > 0, rate, 1.0),
                                                                np.nan), "time"),
                                      dims=case.dims, coords={k: c for k, c in case.coords.items()}, attrs={
            "long_name": "inter-spike interval t_ref + tau_eff ln((V_inf - V_reset) / (V_inf - V_thr))",
            "units": "ms", "comment": "NaN where the neuron never fires"}),
    })
    if unused:
        why = f"NaN: the run did not use {', '.join(unused)} (reset off), so there is no threshold crossing to predict"
        for var in out.data_vars.values():
            var.attrs["comment"] = why
    return out
