"""Synaptic-response analysis: PSP size and timing, driving force, synaptic current and charge."""
from __future__ import annotations

import numpy as np
import xarray as xr


def analyse_synaptic(ds: xr.Dataset, options: dict) -> xr.Dataset:
    V = ds["V"].astype(np.float64)
    t = ds["time"]
    V_rest = V.isel(time=0)
    dV = V - V_rest
    i_peak = np.abs(dV).argmax("time")
    onset = _first_presynaptic_spike(ds)
    I_syn = ds["I_syn"].astype(np.float64) - ds["I_syn"].isel(time=0)
    charge = (I_syn.isel(time=slice(1, None)).values + I_syn.isel(time=slice(None, -1)).values) / 2
    charge = charge.sum(axis=-1) * float(t[1] - t[0])          # nA ms = pC
    out = xr.Dataset({k: v.drop_vars("time", errors="ignore") for k, v in {
        "psp_amplitude": dV.isel(time=i_peak).assign_attrs(
            long_name="peak deflection of V from its initial value (signed)", units="mV"),
        "psp_peak_time": (t.isel(time=i_peak) - onset).assign_attrs(
            long_name="time of the peak after the presynaptic spike", units="ms"),
        "driving_force": (ds["E_syn"] - ds["E_m"]).assign_attrs(
            long_name="driving force at rest, E_syn - E_m", units="mV"),
        "I_syn_peak": I_syn.isel(time=np.abs(I_syn).argmax("time")).assign_attrs(
            long_name="peak synaptic current change (signed)", units="nA"),
        "charge": xr.DataArray(charge, dims=ds["V"].dims[:-1], coords={"condition": ds["condition"]},
                               attrs={"long_name": "charge of the synaptic current change", "units": "pC"}),
    }.items()})
    return out


def _first_presynaptic_spike(ds: xr.Dataset) -> float:
    import json

    params = json.loads(ds.attrs["lifsim_params"])
    first = next(iter(params.values()))
    return min(first["presynaptic_spikes"]) * 1e3 if first["presynaptic_spikes"] else 0.0
