"""The dataset of a convergence study: its measurement jobs stacked along ``integrator`` (and ``condition``).

Kept apart from ``lifsim.convergence`` (which runs the integrators) so that the gather job imports no
simulation code; xarray is imported where it is used, so that the measurement jobs, which read
:data:`ERROR_VARIABLES` here, do not load it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import provenance

if TYPE_CHECKING:
    import xarray as xr

ERROR_VARIABLES = {  # measure -> (variable, long name, units)
    "rate": ("rate_error", "largest relative error of the ISI rate against the analytical rate, over the "
                           "swept currents above rheobase", "1"),
    "trace": ("trace_error", "largest |V - V_reference| on the grid after the presynaptic spike(s)", "mV"),
    "spike_time": ("spike_time_error", "largest |spike time - reference spike time|, same neuron and "
                                       "spike index", "ms"),
}
MEASURES = (*ERROR_VARIABLES, "noise_rate")   # noise_rate: several variables (lifsim.convergence_noise)


def gather(parts: dict[str, xr.Dataset], experiment: str) -> xr.Dataset:
    """Stack measurement datasets (``{job name: dataset}``) along ``integrator`` (and ``condition``)."""
    import json

    import xarray as xr

    integrators = sorted({ds.attrs["integrator"] for ds in parts.values()}, key=["euler", "exact"].index)
    out = {}
    for measure in MEASURES:
        mine = [ds for ds in parts.values() if ds.attrs["measure"] == measure]
        if not mine:
            continue
        conditions = sorted({ds.attrs["condition"] for ds in mine})
        rows = []
        for integ in integrators:
            by_cond = {ds.attrs["condition"]: ds for ds in mine if ds.attrs["integrator"] == integ}
            rows.append(xr.concat([by_cond[c].drop_attrs(deep=False) for c in conditions], dim="condition"))
        stacked = xr.concat(rows, dim="integrator")
        if measure == "spike_time":
            stacked = stacked.assign_coords(condition=("condition", conditions, {"long_name": "coupled-pair setting"}))
        else:
            stacked = stacked.isel(condition=0, drop=True)
        if measure == "noise_rate":   # the theory does not depend on the integrator; the case has its own dts
            stacked["noise_rate_siegert"] = stacked["noise_rate_siegert"].isel(integrator=0, drop=True)
            stacked = on_all_steps(stacked, parts)
        out.update(stacked.data_vars)
    ds = xr.Dataset(out).assign_coords(
        integrator=("integrator", integrators, {"long_name": "integration method (lifsim.sim)"}))
    params = {job: json.loads(part.attrs["lifsim_params"]) for job, part in sorted(parts.items())}
    ds.attrs = {"title": f"lifsim convergence study: {experiment}", "Conventions": "CF-1.10",
                "experiment": experiment, "kind": "convergence",
                "reference": "scipy.integrate.solve_ivp (DOP853) with threshold events; rtol and atol in "
                             "lifsim_params",
                **provenance.attributes(params, list(params.values()))}
    return ds


def on_all_steps(stacked: xr.Dataset, parts: dict[str, xr.Dataset]) -> xr.Dataset:
    """``stacked`` on every dt of the study (NaN, or 0 for counts, at the dts its case did not run)."""
    import numpy as np

    every = np.unique(np.concatenate([ds["dt"].values for ds in parts.values()]))[::-1]
    out = stacked.reindex(dt=every)
    for name, var in stacked.data_vars.items():
        if var.dtype.kind in "iu":
            out[name] = stacked[name].reindex(dt=every, fill_value=0).assign_attrs(
                var.attrs, comment="0 at the dts this case did not run")
    return out.assign_coords(dt=("dt", every, stacked["dt"].attrs))


def gather_experiment(kind: str, experiment: str, parts: dict[str, xr.Dataset]) -> xr.Dataset:
    """The ``gather`` stage of the kind: see :func:`gather`."""
    return gather(parts, experiment)
