"""Convergence analysis: the order of each integrator's error, fitted on a log-log scale against dt.

The noise case (statistical errors, not rounding, set what is resolved) is analysed by
``lifsim.analysis.convergence_noise``."""
from __future__ import annotations

import numpy as np
import xarray as xr

from .convergence_noise import analyse_noise

# Errors below these are rounding (or the reference's own error) and carry no dt dependence:
# 1e-11 relative in a rate; 1e-8 mV (10 pV) and 1e-8 ms (10 ps), about 1000 times the
# reference's error at rtol 1e-10 (see lifsim.reference).
FLOORS = {"rate_error": 1e-11, "trace_error": 1e-8, "spike_time_error": 1e-8}


def fitted_order(dt: np.ndarray, error: np.ndarray, floor: float) -> float:
    """Least-squares slope of log(error) against log(dt) over the errors above ``floor`` (NaN: fewer than 2)."""
    use = np.isfinite(error) & (error > floor)
    if use.sum() < 2:
        return np.nan
    return float(np.polyfit(np.log(dt[use]), np.log(error[use]), 1)[0])


def analyse_convergence(ds: xr.Dataset, options: dict) -> xr.Dataset:
    out = {}
    dt = ds["dt"].values
    for name, floor in FLOORS.items():
        if name not in ds:
            continue
        err = ds[name]
        order = xr.apply_ufunc(fitted_order, dt, err, input_core_dims=[["dt"], ["dt"]],
                               kwargs={"floor": floor}, vectorize=True)
        out[f"{name}_order"] = order.assign_attrs(
            long_name=f"fitted order p of {name} ~ dt^p (least squares on log-log; NaN: no dt dependence "
                      "above the rounding floor)", units="1", floor=floor,
            floor_units=err.attrs.get("units", ""))
        out[f"{name}_at_rounding"] = (err <= floor).all("dt").assign_attrs(
            long_name=f"every {name} is at or below the rounding floor (no dt dependence)")
    out.update(analyse_noise(ds))
    return xr.Dataset(out)
