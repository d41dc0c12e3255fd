"""The test-current step of each synaptic_response condition: R_in, tau_eff and the resting potential.

Per condition two passive simulations on the same grid (no presynaptic
spike): ``<cond>-hold`` at the condition's I_e and ``<cond>-step`` at I_e + step
(see the synaptic_response kind). The model is linear without reset, so
V_step - V_hold is exactly the response to the step from rest, measured the way
an electrophysiologist would: R_in = steady deflection / step (the step: the
step job's ``test_step`` parameter, else the difference of the two I_e), tau_eff
from an exponential fit. Each dataset has dims ([swept parameters the passive response
depends on], time); the results broadcast against the PSP's dims. (The older
layout, one job ``<cond>`` of two neurons along ``I_e``, is read too.)
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .. import units
from . import theory

# The exponential fit uses the samples where the remaining distance to the steady
# deflection is between these fractions (well above the float32 noise of stored traces).
FIT_RANGE = (0.1, 0.9)
PASSIVE = ("tau_m", "R_m", "E_m", "E_exc", "E_inh", "g_exc", "g_inh")


def fit_tau(t, response) -> float:
    """Time constant of ``response`` (rising or falling towards its last value) by a log-linear fit (units of t)."""
    if not np.isfinite(response).all() or response[-1] == 0:
        return float("nan")
    remaining = 1.0 - response / response[-1]
    use = (remaining >= FIT_RANGE[0]) & (remaining <= FIT_RANGE[1])
    if use.sum() < 3:
        return float("nan")
    slope = np.polyfit(t[use], np.log(remaining[use]), 1)[0]
    return -1.0 / slope


def pair_of(jobs: dict, cond: str) -> tuple[xr.Dataset, xr.Dataset]:
    """(hold, step) datasets of a condition, the step one on the hold one's coordinates."""
    if f"{cond}-hold" in jobs:
        from ..gather import arrange_sweep  # several swept passive parameters: one dimension each

        hold, step = arrange_sweep(jobs[f"{cond}-hold"]), arrange_sweep(jobs[f"{cond}-step"])
    else:                                   # one job, neurons 0 (hold) and 1 (hold + step) along I_e
        hold, step = (jobs[cond].isel(I_e=i) for i in (0, 1))
    return hold, step


def measure(hold: xr.Dataset, step: xr.Dataset) -> dict:
    """R_in (MOhm), tau_eff (ms), resting potential (mV), the step (nA) and the step response (mV)."""
    V_hold = hold["V"].astype(np.float64)
    dims = [d for d in V_hold.dims if d != "time"]
    coords = {d: hold[d] for d in dims if d in hold.coords}
    declared = json.loads(step.attrs["lifsim_params"]).get("test_step")   # a job's params (SI), if it says so
    amplitude = (np.full(hold["I_e"].shape, units.to_display(declared, "current")) if declared is not None else
                 np.asarray(step["I_e"].values, dtype=np.float64) - np.asarray(hold["I_e"].values, dtype=np.float64))
    amp = xr.DataArray(amplitude, dims=hold["I_e"].dims, coords={d: hold[d] for d in hold["I_e"].dims})
    response = V_hold.copy(data=step["V"].transpose(*V_hold.dims).values.astype(np.float64) - V_hold.values)
    t = hold["time"].values
    tau = xr.apply_ufunc(fit_tau, t, response, input_core_dims=[["time"], ["time"]], vectorize=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_in = (response.isel(time=-1) / amp).where(amp != 0)
    return {"step": amp, "response": response.drop_vars("time").rename(time="step_time"),
            "input_resistance": r_in.drop_vars("time", errors="ignore"),   # mV / nA = MOhm
            "tau_eff": tau.assign_coords(coords), "rest_potential": V_hold.isel(time=-1).drop_vars("time")}


def expected(hold: xr.Dataset) -> dict:
    """The closed forms for the hold job's parameters (display units), as DataArrays."""
    # broadcast together, so that every closed form has the dims of the job's parameters (a swept one too)
    *passive, current = xr.broadcast(*(theory.si_array(hold[k]) for k in PASSIVE), theory.si_array(hold["I_e"]))
    p = dict(zip(PASSIVE, passive))
    tau = theory.effective_tau(p["tau_m"], p["R_m"], p["g_exc"], p["g_inh"])
    euler = hold.attrs["integrator"] == "euler"
    fit = theory.euler_fitted_tau(tau, float(hold.attrs["dt_ms"]) * 1e-3) if euler else tau
    return {k: current.copy(data=np.broadcast_to(np.asarray(v, dtype=np.float64), current.shape).copy())
            for k, v in _closed_forms(p, current, tau, fit).items()}


def _closed_forms(p, current, tau, fit) -> dict:
    return {"input_resistance": units.to_display(theory.input_resistance(p["R_m"], p["g_exc"], p["g_inh"]),
                                                 "resistance"),
            "tau_eff": units.to_display(tau, "time"),
            "tau_eff_expected_fit": units.to_display(fit, "time"),
            "rest_potential": units.to_display(theory.effective_rest(p["E_m"], p["R_m"], p["g_exc"], p["E_exc"],
                                                                     p["g_inh"], p["E_inh"], current), "voltage")}


LABELS = {
    "input_resistance": ("input resistance: steady deflection / test step", "MOhm"),
    "input_resistance_theory": ("input resistance R_m / (1 + R_m (g_exc + g_inh))", "MOhm"),
    "tau_eff": ("membrane time constant from an exponential fit to the step response", "ms"),
    "tau_eff_theory": ("effective time constant tau_m / (1 + R_m (g_exc + g_inh))", "ms"),
    "tau_eff_expected_fit": ("what the fit returns for the integrator's trace "
                             "(euler: -dt / ln(1 - dt / tau_eff))", "ms"),
    "rest_potential": ("resting potential at the end of the test (neuron without the step)", "mV"),
    "rest_potential_theory": ("effective resting potential of the tonic conductances and holding current", "mV"),
    "test_step": ("amplitude of the test-current step", "nA"),
    "test_step_response": ("V with the test step minus V without it", "mV"),
}


def probe_one(hold: xr.Dataset, step: xr.Dataset) -> xr.Dataset:
    got, want = measure(hold, step), expected(hold)
    data = {k: got[k] for k in ("input_resistance", "tau_eff", "rest_potential")}
    data.update({f"{k}_theory": want[k] for k in ("input_resistance", "tau_eff", "rest_potential")})
    data.update(tau_eff_expected_fit=want["tau_eff_expected_fit"], test_step=got["step"],
                test_step_response=got["response"])
    return xr.Dataset({k: xr.DataArray(v).reset_coords(drop=True) if not hasattr(v, "dims") else v.reset_coords(
        drop=True) for k, v in data.items()})


def analyse_probes(jobs: dict[str, xr.Dataset], conditions) -> xr.Dataset:
    """Per condition: measured and theoretical R_in, tau_eff, resting potential, and the step responses."""
    names = [str(c) for c in conditions]
    parts = [probe_one(*pair_of(jobs, c)) for c in names]
    out = xr.concat(parts, dim="condition", join="outer", coords="minimal", compat="override", fill_value=np.nan)
    out = out.assign_coords(condition=names)
    for key, (long_name, unit) in LABELS.items():
        out[key].attrs = {"long_name": long_name, "units": unit}
    longest = max(range(len(names)), key=lambda i: parts[i].sizes["step_time"])
    step_time = pair_of(jobs, names[longest])[0]["time"].values
    return out.assign_coords(step_time=("step_time", step_time, {"long_name": "time since the test step",
                                                                  "units": "ms"}))
