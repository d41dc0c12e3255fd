"""Synaptic-response analysis: PSP size and timing, driving force, synaptic current and charge.

Why the PSP scales with the driving force: with u = V - E_m and D = E_syn - E_m
and no tonic conductance, tau_m du/dt = -u - R_m g_syn(t) (u - D). Writing
u = D w gives an equation for w that does not contain D, so the whole PSP, and
its peak, is proportional to D (forward Euler keeps this exactly). Conditions
with the same conductance time course therefore have the same
``psp_per_driving_force``.
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .. import units
from .theory import si


def analyse_synaptic(ds: xr.Dataset, options: dict, extra: dict | None = None) -> xr.Dataset:
    V = ds["V"].astype(np.float64)
    t = ds["time"]
    V_rest = V.isel(time=0)
    dV = V - V_rest
    i_peak = np.abs(dV).argmax("time")
    spikes = _presynaptic_spikes(ds)
    onset = min(spikes) if spikes else 0.0
    I_syn = ds["I_syn"].astype(np.float64) - ds["I_syn"].isel(time=0)
    charge = (I_syn.isel(time=slice(1, None)).values + I_syn.isel(time=slice(None, -1)).values) / 2
    charge = charge.sum(axis=-1) * float(t[1] - t[0])          # nA ms = pC
    driving = (ds["E_syn"] - ds["E_m"]).assign_attrs(long_name="driving force at rest, E_syn - E_m", units="mV")
    amplitude = dV.isel(time=i_peak).assign_attrs(long_name="peak deflection of V from its initial value (signed)",
                                                  units="mV")
    # charge if V stayed at rest: -g_star tau_syn (E_syn - E_m) per presynaptic spike (S s V = C)
    fixed = -si(ds["g_star"]) * si(ds["tau_syn"]) * si(driving) * len(spikes) * 1e12
    out = xr.Dataset({k: v.drop_vars("time", errors="ignore") for k, v in {
        "psp_amplitude": amplitude,
        "psp_peak_time": (t.isel(time=i_peak) - onset).assign_attrs(
            long_name="time of the peak after the presynaptic spike", units="ms"),
        "driving_force": driving,
        "psp_per_driving_force": (amplitude / driving).assign_attrs(
            long_name="PSP amplitude / driving force (equal for conditions with the same conductance and "
                      "no tonic conductance)", units="1"),
        "I_syn_peak": I_syn.isel(time=np.abs(I_syn).argmax("time")).assign_attrs(
            long_name="peak synaptic current change (signed)", units="nA"),
        "charge": xr.DataArray(charge, dims=ds["V"].dims[:-1], coords={"condition": ds["condition"]},
                               attrs={"long_name": "charge of the synaptic current change", "units": "pC"}),
        "charge_fixed_driving_force": xr.DataArray(np.broadcast_to(fixed, ds.sizes["condition"]).copy(),
                                                   dims=("condition",), coords={"condition": ds["condition"]},
                                                   attrs={"long_name": "charge if V stayed at E_m: "
                                                          "-g_star tau_syn (E_syn - E_m) per spike",
                                                          "units": "pC"}),
    }.items()})
    if extra:
        from .probe import analyse_probes

        out = xr.merge([out, analyse_probes(extra, ds["condition"].values)], compat="equals", join="exact",
                       combine_attrs="drop")
    return out


def _presynaptic_spikes(ds: xr.Dataset) -> list[float]:
    """Presynaptic spike times (ms) of the experiment (the same in every condition)."""
    params = json.loads(ds.attrs["lifsim_params"])
    first = next(iter(params.values()))
    return [units.to_display(t, "time") for t in first["presynaptic_spikes"]]
