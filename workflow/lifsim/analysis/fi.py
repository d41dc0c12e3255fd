"""f-I curve analysis: two rate estimators per duration, the analytical rate, errors and rheobase."""
from __future__ import annotations

import numpy as np
import xarray as xr

from .rates import analytical_rate, count_rate, rate_from_mean_isi, rheobase


def analyse_fi(ds: xr.Dataset, options: dict) -> xr.Dataset:
    count = ds["spike_count"].values
    dims = ds["spike_count"].dims                       # (duration, I_e)
    duration_s = ds["duration"].values.reshape((-1,) + (1,) * (count.ndim - 1)) * 1e-3   # against (duration, ...)
    # 1 / mean ISI from the per-train statistics (present whether or not spike times were stored)
    isi = rate_from_mean_isi(count, ds["mean_isi"].values * 1e-3)
    cnt = count_rate(count, duration_s)
    sweep = dims[1:]                                    # I_e by default; any swept parameters
    p = {k: _param(ds, k, ds["spike_count"]) for k in ("I_e", "tau_m", "R_m", "E_m", "V_thr", "V_reset", "t_ref")}
    analytic = analytical_rate(p["I_e"].values, p["tau_m"].values, p["R_m"].values, p["E_m"].values,
                               p["V_thr"].values, p["V_reset"].values, p["t_ref"].values) * 1e3   # 1/ms -> Hz
    per_duration = bool((analytic != analytic[:1]).any()) if analytic.size else False
    rate = xr.DataArray(np.stack([isi, cnt]), dims=("estimator",) + dims,
                        coords={"estimator": ("estimator", ["isi", "count"], {"long_name": "rate estimator"}),
                                **{d: ds[d] for d in dims}},
                        attrs={"long_name": "firing rate", "units": "Hz",
                               "comment": "isi: 1 / mean inter-spike interval, (count - 1) / (last - first) "
                                          "(0 with no spike, NaN with one). Under constant input the firing is "
                                          "deterministic and periodic: every interval after the first spike "
                                          "starts at V_reset and lasts one period, so the estimator has no "
                                          "bias once two spikes exist (the initial voltage only shifts the "
                                          "first spike); what remains is the integrator's spike-time error "
                                          "(euler: grid spike times and first-order error, up to about "
                                          "2 rate^2 dt; exact: rounding). count: spike count / duration, "
                                          "quantised to "
                                          "1 / duration: it misses the fraction of a period between the last "
                                          "spike and the end of the run and depends on the first spike's "
                                          "phase, an error of up to 1 / duration that shrinks only as the "
                                          "duration grows."})
    rate_analytical = xr.DataArray(analytic if per_duration else analytic[0], dims=dims if per_duration else sweep,
                                   coords={d: ds[d] for d in (dims if per_duration else sweep)},
                                   attrs={"long_name": "analytical firing rate of the LIF neuron", "units": "Hz"})
    error = (rate - rate_analytical).assign_attrs(long_name="rate minus analytical rate", units="Hz")
    measured, silent, step, rheo_note = _rheobase(count, ds, sweep)
    theory = rheobase(p["R_m"].values, p["E_m"].values, p["V_thr"].values)
    one_theory = bool(np.all(theory == theory.flat[0])) if theory.size else False
    above = rate_analytical > 0
    out = xr.Dataset({
        "rate": rate, "rate_analytical": rate_analytical, "rate_error": error,
        "max_abs_error": np.abs(error).where(above).max(sweep).assign_attrs(
            long_name="largest |rate - analytical rate| above rheobase", units="Hz"),
        "mean_abs_error": np.abs(error).where(above).mean(sweep).assign_attrs(
            long_name="mean |rate - analytical rate| above rheobase", units="Hz"),
        "max_rel_error": (np.abs(error).where(above) / rate_analytical.where(above)).max(sweep).assign_attrs(
            long_name="largest |rate - analytical rate| / analytical rate above rheobase", units="1"),
        "count_quantum": xr.DataArray(1.0 / duration_s.ravel(), dims=("duration",),
                                      attrs={"long_name": "resolution of the count estimator, 1 / duration",
                                             "units": "Hz"}),
        "rheobase_measured": xr.DataArray(measured, dims=("duration",), attrs={
            "long_name": "smallest simulated I_e that produced a spike", "units": "nA", **rheo_note}),
        "rheobase_silent": xr.DataArray(silent, dims=("duration",), attrs={
            "long_name": "largest simulated I_e below rheobase_measured without a spike", "units": "nA",
            **rheo_note}),
        "I_e_step": xr.DataArray(step, attrs={
            "long_name": "largest spacing of the simulated currents", "units": "nA", **rheo_note}),
        "rheobase_theory": xr.DataArray(float(theory.flat[0]) if one_theory else np.nan, attrs={
            "long_name": "rheobase (V_thr - E_m) / R_m", "units": "nA",
            **({} if one_theory else {"comment": "NaN: R_m, E_m or V_thr varies across the sweep"})}),
    }, coords={"duration": ds["duration"]})
    return out


def _param(ds: xr.Dataset, name: str, like: xr.DataArray) -> xr.DataArray:
    """A model parameter broadcast over (duration, *sweep): swept ones are coordinates, others per duration."""
    return xr.broadcast(ds[name].reset_coords(drop=True) if name in ds.data_vars else ds[name], like)[0].transpose(
        *like.dims)


def _rheobase(count: np.ndarray, ds: xr.Dataset, sweep: tuple):
    """Bracket the rheobase per duration from a sweep of I_e alone; NaN (with the reason) for any other sweep."""
    n = count.shape[0]
    if tuple(sweep) != ("I_e",):
        note = {"comment": f"NaN: the rheobase is bracketed only by a sweep of I_e alone; this sweep is over "
                           f"{', '.join(sweep)}"}
        return [np.nan] * n, [np.nan] * n, np.nan, note
    I = ds["I_e"].values
    firing = count > 0
    measured = [float(I[row].min()) if row.any() else np.nan for row in firing]
    silent = [float(I[(~row) & (I < low)].max()) if ((~row) & (I < low)).any() else np.nan
              for row, low in zip(firing, measured)]
    step = float(np.max(np.diff(I))) if I.size > 1 else np.nan
    return measured, silent, step, {}
