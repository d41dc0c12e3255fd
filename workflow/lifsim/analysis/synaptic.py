"""Synaptic-response analysis: PSP size and timing, driving force, synaptic current and charge.

Works on (condition, [swept parameters...], time): every reduction is along
``time``. Why the PSP scales with the driving force: with u = V - E_m and
D = E_syn - E_m and no tonic conductance, tau_m du/dt = -u - R_m g_syn(t) (u - D).
Writing u = D w gives an equation for w that does not contain D, so the whole
PSP, and its peak, is proportional to D (forward Euler keeps this exactly).
Conditions with the same conductance time course therefore have the same
``psp_per_driving_force``. ``psp_linear`` is the first-order (small g_star)
limit, see ``lifsim.analysis.linear``.

Degenerate results are values: a variable not recorded, a PSP of zero (E_syn at
rest) give NaN where a number is undefined, with the reason in ``comment``.
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .. import units
from ..params import NEURON_PARAMS
from . import theory
from .linear import linear_psp

NOT_RECORDED = "NaN: {} was not recorded (the experiment's record list)"


def analyse_synaptic(ds: xr.Dataset, options: dict, extra: dict | None = None) -> xr.Dataset:
    template = ds["spike_count"]                                  # (condition, [swept...])
    spikes = _presynaptic_spikes(ds)
    onset = min(spikes) if spikes else 0.0
    ds = _with_synapse(ds, template)
    driving = (ds["E_syn"] - ds["E_m"]).assign_attrs(long_name="driving force at rest, E_syn - E_m", units="mV",
                                                     **_unused(ds, "E_syn"))
    out = {"driving_force": driving}
    out.update(_psp(ds, template, driving, onset))
    out.update(_current(ds, template))
    # charge if V stayed at rest: -g_star tau_syn (E_syn - E_m) per presynaptic spike (S s V = C)
    fixed = -theory.si_array(ds["g_star"]) * theory.si_array(ds["tau_syn"]) * theory.si_array(driving) \
        * len(spikes) * 1e12
    fixed = fixed if spikes else xr.zeros_like(fixed)          # no presynaptic spike: no synaptic charge
    out["charge_fixed_driving_force"] = xr.broadcast(fixed, template)[0].assign_attrs(
        long_name="charge if V stayed at E_m: -g_star tau_syn (E_syn - E_m) per spike", units="pC")
    out.update(_linear(ds, template, spikes, onset))
    linear = out["psp_linear"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["psp_over_linear"] = (out["psp_amplitude"] / linear).where(linear != 0).assign_attrs(
            long_name="PSP amplitude / its first-order (small g_star) limit (-> 1 as g_star -> 0)", units="1",
            comment="NaN where the first-order PSP is 0 (no spike, or E_syn at rest)")
    result = xr.Dataset({k: v.drop_vars("time", errors="ignore") for k, v in out.items()})
    if extra:
        from .probe import analyse_probes

        result = xr.merge([result, analyse_probes(extra, ds["condition"].values)], compat="equals", join="exact",
                          combine_attrs="override")
    return result


def _psp(ds, template, driving, onset) -> dict:
    amp_attrs = {"long_name": "peak deflection of V from its initial value (signed)", "units": "mV"}
    time_attrs = {"long_name": "time of the peak after the presynaptic spike", "units": "ms"}
    ratio_attrs = {"long_name": "PSP amplitude / driving force (equal for conditions with the same conductance "
                                "and no tonic conductance)", "units": "1"}
    if "V" not in ds:
        nan = xr.full_like(template, np.nan, dtype=float)
        why = {"comment": NOT_RECORDED.format("V")}
        return {"psp_amplitude": nan.assign_attrs(amp_attrs, **why),
                "psp_peak_time": nan.assign_attrs(time_attrs, **why),
                "psp_per_driving_force": nan.assign_attrs(ratio_attrs, **why)}
    V = ds["V"].astype(np.float64)
    dV = V - V.isel(time=0)
    i_peak = np.abs(dV).argmax("time")
    amplitude = dV.isel(time=i_peak)
    flat = amplitude == 0
    peak_time = (ds["time"].isel(time=i_peak) - onset).where(~flat)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (amplitude / driving).where(driving != 0)
    return {"psp_amplitude": amplitude.assign_attrs(amp_attrs),
            "psp_peak_time": peak_time.assign_attrs(time_attrs, comment="NaN where V never leaves its initial "
                                                                         "value (a PSP of zero)"),
            "psp_per_driving_force": ratio.assign_attrs(ratio_attrs, comment="NaN where the driving force is 0")}


def _current(ds, template) -> dict:
    peak_attrs = {"long_name": "peak synaptic current change (signed)", "units": "nA"}
    charge_attrs = {"long_name": "charge of the synaptic current change", "units": "pC"}
    if "I_syn" not in ds:
        nan = xr.full_like(template, np.nan, dtype=float)
        why = {"comment": NOT_RECORDED.format("I_syn")}
        return {"I_syn_peak": nan.assign_attrs(peak_attrs, **why), "charge": nan.assign_attrs(charge_attrs, **why)}
    I_syn = ds["I_syn"].astype(np.float64) - ds["I_syn"].isel(time=0)
    values = I_syn.transpose(..., "time").values
    dt = float(ds["time"][1] - ds["time"][0])
    charge = ((values[..., 1:] + values[..., :-1]) / 2).sum(axis=-1) * dt       # nA ms = pC
    rest = [d for d in I_syn.dims if d != "time"]
    return {"I_syn_peak": I_syn.isel(time=np.abs(I_syn).argmax("time")).assign_attrs(peak_attrs),
            "charge": xr.DataArray(charge, dims=rest, coords={d: ds[d] for d in rest if d in ds.coords},
                                   attrs=charge_attrs)}


def _linear(ds, template, spikes, onset) -> dict:
    """The first-order PSP and its peak time for every case (see lifsim.analysis.linear)."""
    names = ("tau_m", "R_m", "E_m", "E_exc", "E_inh", "g_exc", "g_inh", "I_e", "E_syn", "tau_syn", "g_star")
    p = dict(zip(names, xr.broadcast(*(theory.si_array(ds[k]) for k in names), template)))
    a = {k: v.transpose(*template.dims).values for k, v in p.items()}
    rest = theory.effective_rest(a["E_m"], a["R_m"], a["g_exc"], a["E_exc"], a["g_inh"], a["E_inh"], a["I_e"])
    r_in = theory.input_resistance(a["R_m"], a["g_exc"], a["g_inh"])
    tau = theory.effective_tau(a["tau_m"], a["R_m"], a["g_exc"], a["g_inh"])
    duration = max(q["duration"] for q in json.loads(ds.attrs["lifsim_params"]).values())
    peak, when = linear_psp([t * 1e-3 for t in spikes], duration, a["tau_syn"], tau,
                            r_in * a["g_star"] * (a["E_syn"] - rest))
    coords = {k: c for k, c in template.coords.items()}
    return {"psp_linear": xr.DataArray(peak * 1e3, dims=template.dims, coords=coords, attrs={
                "long_name": "PSP to first order in g_star: peak of the response with the driving force held at "
                             "the resting potential (exact as g_star -> 0; continuous time)", "units": "mV"}),
            "psp_linear_peak_time": xr.DataArray(when * 1e3 - onset, dims=template.dims, coords=coords, attrs={
                "long_name": "time of the first-order PSP's peak after the first presynaptic spike", "units": "ms",
                "comment": "NaN without a presynaptic spike"})}


UNUSED = ("NaN: {} was not used by the run (no presynaptic spike), so the dataset does not hold it")


def _with_synapse(ds: xr.Dataset, template) -> xr.Dataset:
    """The dataset with the synapse's parameters that a run without presynaptic spikes does not store set to NaN."""
    missing = {k: xr.full_like(template, np.nan, dtype=float).assign_attrs(
                   units=units.DISPLAY_UNITS[NEURON_PARAMS[k][0]],
                   comment=UNUSED.format(k))
               for k in ("E_syn", "g_star", "tau_syn") if k not in ds}
    return ds.assign(missing) if missing else ds


def _unused(ds, name) -> dict:
    return {"comment": ds[name].attrs["comment"]} if "comment" in ds[name].attrs else {}


def _presynaptic_spikes(ds: xr.Dataset) -> list[float]:
    """Presynaptic spike times (ms) of the experiment (the same in every condition)."""
    params = json.loads(ds.attrs["lifsim_params"])
    first = next(iter(params.values()))
    return [units.to_display(t, "time") for t in first["presynaptic_spikes"]]
