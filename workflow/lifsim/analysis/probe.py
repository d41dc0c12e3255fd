"""The test-current step of each synaptic_response condition: R_in, tau_eff and the resting potential.

Each condition has two passive probe jobs with its parameters: ``<cond>-hold``
at the holding current and ``<cond>-step`` at holding + step (see
``lifsim.kinds.synaptic_response``). The model is linear, so V_1 - V_0 is exactly
the response to the step from rest, measured the way an electrophysiologist
would: R_in = steady deflection / step, tau_eff from an exponential fit.
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


def fit_tau(t, response) -> float:
    """Time constant of ``response`` (rising or falling towards its last value) by a log-linear fit (units of t)."""
    remaining = 1.0 - response / response[-1]
    use = (remaining >= FIT_RANGE[0]) & (remaining <= FIT_RANGE[1])
    if use.sum() < 3:
        return float("nan")
    slope = np.polyfit(t[use], np.log(remaining[use]), 1)[0]
    return -1.0 / slope


def measure(hold: xr.Dataset, stepped: xr.Dataset) -> dict:
    """R_in (MOhm), tau_eff (ms), resting potential (mV) and the step response of one condition's probes."""
    V0 = hold["V"].astype(np.float64)
    t = hold["time"].values
    step = units.to_display(json.loads(stepped.attrs["lifsim_params"])["test_step"], "current")   # nA
    response = (stepped["V"].astype(np.float64).values - V0.values)   # mV
    return {"step": step, "response": response, "time": t,
            "input_resistance": float(response[-1] / step),   # mV / nA = MOhm
            "tau_eff": fit_tau(t, response),
            "rest_potential": float(V0.isel(time=-1))}


def expected(job: xr.Dataset) -> dict:
    """The closed forms for the probe job's parameters (display units)."""
    p = {k: theory.si(job[k]) for k in ("tau_m", "R_m", "E_m", "E_exc", "E_inh", "g_exc", "g_inh")}
    hold = float(theory.si(job["I_e"]))
    tau = theory.effective_tau(p["tau_m"], p["R_m"], p["g_exc"], p["g_inh"])
    dt = float(job.attrs["dt_ms"]) * 1e-3
    return {"input_resistance": units.to_display(theory.input_resistance(p["R_m"], p["g_exc"], p["g_inh"]),
                                                 "resistance"),
            "tau_eff": units.to_display(tau, "time"),
            "tau_eff_expected_fit": units.to_display(theory.euler_fitted_tau(tau, dt), "time")
            if job.attrs.get("integrator") == "euler" else units.to_display(tau, "time"),
            "rest_potential": units.to_display(theory.effective_rest(p["E_m"], p["R_m"], p["g_exc"], p["E_exc"],
                                                                     p["g_inh"], p["E_inh"], hold), "voltage")}


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
}


def analyse_probes(jobs: dict[str, xr.Dataset], conditions) -> xr.Dataset:
    """Per condition: measured and theoretical R_in, tau_eff, resting potential, and the step responses."""
    rows = {}
    for cond in conditions:
        hold, stepped = jobs[f"{cond}-hold"], jobs[f"{cond}-step"]
        got, want = measure(hold, stepped), expected(hold)
        rows[str(cond)] = {**{k: got[k] for k in ("input_resistance", "tau_eff", "rest_potential")},
                           **{f"{k}_theory": want[k] for k in ("input_resistance", "tau_eff", "rest_potential")},
                           "tau_eff_expected_fit": want["tau_eff_expected_fit"], "test_step": got["step"],
                           "_response": got["response"], "_time": got["time"]}
    names = [str(c) for c in conditions]
    out = {}
    for key, (long_name, unit) in LABELS.items():
        out[key] = xr.DataArray([rows[c][key] for c in names], dims=("condition",),
                                attrs={"long_name": long_name, "units": unit})
    n = max(rows[c]["_time"].size for c in names)
    response = np.full((len(names), n), np.nan)
    for i, c in enumerate(names):
        response[i, : rows[c]["_time"].size] = rows[c]["_response"]
    longest = max(names, key=lambda c: rows[c]["_time"].size)
    out["test_step_response"] = xr.DataArray(response, dims=("condition", "step_time"), attrs={
        "long_name": "V with the test step minus V without it", "units": "mV"})
    return xr.Dataset(out, coords={"condition": names, "step_time": ("step_time", rows[longest]["_time"], {
        "long_name": "time since the test step", "units": "ms"})})
