"""The coupled pair: lag and phase of the two neurons over time, locking, runaway and suppression.

The analysis reads the long runs (``analysis_duration``, spikes only) and,
from the short runs the figures show, how far below threshold the last sample
before each reset lies (the notebook's "early reset").

For each spike of neuron 1 between two spikes of neuron 0 (at a and b):
phase = (t - a) / (b - a) in [0, 1) (0: together, 0.5: alternating) and the
signed lag to the nearer of a and b. The pair's state:

- ``runaway``: some inter-spike interval <= runaway_isi (the positive feedback of
  excitatory coupling without refractory period; its speed is then set by dt);
- ``suppression``: over the last half of the run one neuron fires less than half
  as often as the other;
- ``locked``: the lag stays within lock_tolerance of its final value (on the
  circle of phases) for at least the last half of the run;
- ``not_locked``: none of these.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from .. import spikes
from .pairing import lag_and_phase, lock, padded, pair_state, runaway_onset, shortfall

STATES = ("not_locked", "locked", "runaway", "suppression")


def analyse_pair(ds: xr.Dataset, options: dict, extra: dict | None = None) -> xr.Dataset:
    conds = [str(c) for c in ds["condition"].values]
    out = _short_runs(ds, conds)
    if extra:
        out = out.merge(_long_runs(extra, conds, options), compat="equals", join="exact")
    return out


def _short_runs(ds: xr.Dataset, conds) -> xr.Dataset:
    """Threshold shortfall of the last sample before each reset in the (figure) runs."""
    if "V" not in ds:
        return xr.Dataset(coords={"condition": conds})
    trains = spikes.trains(ds)
    values = [shortfall(ds["time"].values, ds["V"].sel(condition=c).values.astype(np.float64),
                        list(trains.sel(condition=c).values), float(ds["V_thr"].sel(condition=c)))
              for c in conds]
    attrs = {"units": "mV"}
    return xr.Dataset({
        "shortfall_max": ("condition", [v[0] for v in values], {
            **attrs, "long_name": "largest V_thr - V one step before a spike (short run): how far below "
                                  "threshold the trace appears to reset"}),
        "shortfall_median": ("condition", [v[1] for v in values], {
            **attrs, "long_name": "median V_thr - V one step before a spike (short run)"}),
    }, coords={"condition": conds})


def _long_runs(extra: dict, conds, options: dict) -> xr.Dataset:
    tol = options["lock_tolerance"] * 1e3
    runaway_isi = options["runaway_isi"] * 1e3
    per = {}
    for c in conds:
        job = extra[c]
        trains = list(spikes.trains(job).values)
        duration = float(job.attrs["duration_ms"])
        seq = lag_and_phase(trains[0], trains[1])
        locked = lock(seq, tol, duration)
        onset = runaway_onset(trains, runaway_isi)
        every = job["runaway_onset"].values
        state = pair_state(trains, onset, locked, duration)
        if state != "locked":       # e.g. a runaway pair settles too, but at the time-step limit
            locked["time"] = np.nan
        per[c] = {"trains": trains, "seq": seq, "lock": locked, "duration": duration,
                  "runaway_onset": onset,
                  "every_step_onset": float(np.nanmin(every)) if np.isfinite(every).any() else np.nan,
                  "state": STATES.index(state)}
    spike_time = padded([per[c]["trains"] for c in conds])                     # (condition, neuron, index)
    seq = {k: padded([per[c]["seq"][k] for c in conds]) for k in ("time", "lag", "phase", "period")}
    scalar = lambda key: [per[c][key] for c in conds]  # noqa: E731
    lock_of = lambda key: [per[c]["lock"][key] for c in conds]  # noqa: E731
    big = {"zlib": True, "complevel": 4, "shuffle": True}
    out = xr.Dataset({
        "spike_time": (("condition", "neuron", "spike_index"), spike_time,
                       {"long_name": "spike time (long run)", "units": "ms"}),
        "isi": (("condition", "neuron", "spike_index"), np.diff(spike_time, axis=-1, prepend=np.nan),
                {"long_name": "interval from the previous spike of the same neuron (long run)", "units": "ms"}),
        "lag_time": (("condition", "pair_spike"), seq["time"],
                     {"long_name": "time of the spike of neuron 1", "units": "ms"}),
        "spike_time_difference": (("condition", "pair_spike"), seq["lag"], {
            "long_name": "spike time of neuron 1 minus the nearer spike of neuron 0", "units": "ms"}),
        "phase": (("condition", "pair_spike"), seq["phase"], {
            "long_name": "phase of neuron 1's spike in neuron 0's cycle (0: together, 0.5: alternating)",
            "units": "1"}),
        "period": (("condition", "pair_spike"), seq["period"], {
            "long_name": "interval of neuron 0 around the spike of neuron 1", "units": "ms"}),
        "state": ("condition", np.asarray(scalar("state"), dtype=np.int8), {
            "long_name": "state of the pair over the long run", "flag_values": np.arange(len(STATES), dtype=np.int8),
            "flag_meanings": " ".join(STATES)}),
        "runaway_onset": ("condition", scalar("runaway_onset"), {
            "long_name": "first time an inter-spike interval was <= runaway_isi (NaN: never)", "units": "ms",
            "runaway_isi_ms": runaway_isi}),
        "every_step_onset": ("condition", scalar("every_step_onset"), {
            "long_name": "first time a neuron fired on two consecutive time steps (NaN: never)", "units": "ms"}),
        "lock_time": ("condition", lock_of("time"), {
            "long_name": "time from which the lag stays within lock_tolerance of its final value (NaN unless "
                         "the state is locked)", "units": "ms",
            "lock_tolerance_ms": tol}),
        "locked_phase": ("condition", lock_of("phase"), {
            "long_name": "circular mean phase over the last half of the run (the locked phase if locked)",
            "units": "1"}),
        "locked_lag": ("condition", lock_of("lag"), {
            "long_name": "locked phase times the mean period, wrapped to [-period/2, period/2)", "units": "ms"}),
        "lag_range": ("condition", lock_of("range"), {
            "long_name": "range of the lag around its final value over the last half of the run", "units": "ms"}),
        "final_rate": ("condition", [1e3 / np.mean(np.diff(per[c]["trains"][0][-11:]))
                                     if per[c]["trains"][0].size > 1 else 0.0 for c in conds], {
            "long_name": "rate of neuron 0 over its last 10 intervals (long run)", "units": "Hz"}),
        "spike_count_long": (("condition", "neuron"), [[t.size for t in per[c]["trains"]] for c in conds], {
            "long_name": "number of spikes in the long run"}),
    }, coords={"condition": conds, "neuron": np.arange(2)})
    for name in ("spike_time", "isi", "lag_time", "spike_time_difference", "phase", "period"):
        out[name].encoding = dict(big)
    out["analysis_duration"] = xr.DataArray(max(per[c]["duration"] for c in conds), attrs={
        "long_name": "duration of the long runs", "units": "ms"})
    return out
