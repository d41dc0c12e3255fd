"""The noise case of the convergence analysis: which errors are resolved, their order, Euler's asymptote.

An error counts (``noise_rate_error_resolved``) where it exceeds ``RESOLVED_SE`` = 3 standard errors; the
order of |error| ~ dt^p is fitted over those dts only (NaN with fewer than two: the error is not resolved
from the statistics, i.e. smaller than about 3 SE at every dt).

Euler-Maruyama tests the threshold on the grid only and misses the crossings between grid points. For a
diffusion watched at intervals dt this acts, to leading order, as a threshold raised by
beta * (the increment's standard deviation), beta = -zeta(1/2) / sqrt(2 pi) = 0.5826 (the discretely
monitored barrier correction of Broadie, Glasserman & Kou 1997); the increment of V over dt has standard
deviation sigma_eff sqrt(dt / tau_eff) in Brunel's convention. ``noise_rate_error_grid_threshold`` is the
Siegert rate with that shifted threshold against the plain one: an O(dt^1/2) prediction of Euler's error,
whose next term is O(dt).
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

RESOLVED_SE = 3.0
BETA = 0.5825971579390107   # -zeta(1/2) / sqrt(2 pi)


def resolved_order(dt: np.ndarray, error: np.ndarray, se: np.ndarray) -> float:
    """Least-squares slope of log|error| against log dt over the errors above 3 SE (NaN: fewer than 2)."""
    use = np.isfinite(error) & np.isfinite(se) & (np.abs(error) > RESOLVED_SE * se)
    if use.sum() < 2:
        return np.nan
    return float(np.polyfit(np.log(dt[use]), np.log(np.abs(error[use])), 1)[0])


def noise_job(ds: xr.Dataset) -> dict:
    """The simulation template of the noise case (any of its measurement jobs: they differ in integrator only)."""
    params = json.loads(ds.attrs["lifsim_params"])
    return next(p["job"] for _, p in sorted(params.items()) if p.get("measure") == "noise_rate")


def grid_threshold_error(job: dict, sigma_mV: np.ndarray, dt_ms: np.ndarray) -> np.ndarray:
    """(sigma, dt) relative rate change of the Siegert rate when the threshold rises by beta sigma_eff sqrt(dt/tau_eff)."""
    from .siegert import brunel_parameters, siegert_rate

    p = dict(job["neuron"])
    p.update({name: spec["values"][0] for name, spec in job["grid"].items() if name != "sigma"})
    sigma = np.asarray(sigma_mV, dtype=np.float64)[:, None] * 1e-3
    dt = np.asarray(dt_ms, dtype=np.float64)[None, :] * 1e-3
    mu, tau, sig = brunel_parameters(p["E_m"], p["R_m"], p["tau_m"], sigma, p.get("I_e", 0.0), p.get("g_exc", 0.0),
                                     p.get("E_exc", 0.0), p.get("g_inh", 0.0), p.get("E_inh", 0.0))
    V_reset, theta = p.get("V_reset", p["E_m"]), p["V_thr"]
    plain = siegert_rate(mu, sig, theta, V_reset, tau, p["t_ref"])
    shifted = siegert_rate(mu, sig, theta + BETA * sig * np.sqrt(dt / tau), V_reset, tau, p["t_ref"])
    return shifted / plain - 1.0


def analyse_noise(ds: xr.Dataset) -> dict:
    """The analysis variables of the noise case (empty when the study has none)."""
    if "noise_rate_error" not in ds:
        return {}
    err, se = ds["noise_rate_error"], ds["noise_rate_error_se"]
    order = xr.apply_ufunc(resolved_order, ds["dt"], err, se, input_core_dims=[["dt"], ["dt"], ["dt"]],
                           vectorize=True)
    ran = np.isfinite(err)
    resolved = (ran & (np.abs(err) > RESOLVED_SE * se)).astype(np.int8).where(ran, -1)
    theory = grid_threshold_error(noise_job(ds), ds["sigma"].values, ds["dt"].values)
    theory = xr.DataArray(theory, dims=("sigma", "dt"), coords={"sigma": ds["sigma"], "dt": ds["dt"]})
    return {
        "noise_rate_error_order": order.assign_attrs(
            long_name="fitted order p of |noise_rate_error| ~ dt^p over the dts where the error exceeds 3 standard "
                      "errors (NaN: resolved at fewer than two dts)", units="1"),
        "noise_rate_error_resolved": resolved.astype(np.int8).assign_attrs(
            long_name="1 where |noise_rate_error| > 3 standard errors, 0 where not, -1 where the case did not run",
            units="1"),
        "noise_rate_error_grid_threshold": theory.where(ran.any("integrator")).assign_attrs(
            long_name="Euler-Maruyama's leading error: Siegert rate with the threshold raised by 0.5826 sigma_eff "
                      "sqrt(dt / tau_eff) (grid-only threshold test) against the Siegert rate", units="1"),
    }
