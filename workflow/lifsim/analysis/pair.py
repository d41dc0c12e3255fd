"""Coupled neurons: lags and phases to a reference neuron over time, locking, runaway and suppression.

Works for any number N of neurons (``coupling`` is N x N) and any swept
parameters: every case (condition and sweep point) is analysed on its own.
The analysis reads the long runs (``analysis_duration``, spikes only) and,
from the short runs the figures show, how far below threshold the last sample
before each reset lies (the notebook's "early reset").

Neuron 0 is the reference. For each spike of neuron n >= 1 between two spikes
of neuron 0 (at a and b): phase = (t - a) / (b - a) in [0, 1) (0: together,
0.5: alternating) and the signed lag to the nearer of a and b. The
reference's own entries are NaN. The network's state:

- ``runaway``: some inter-spike interval <= runaway_isi (the positive feedback of
  excitatory coupling without refractory period; its speed is then set by dt);
- ``suppression``: over the last half of the run some neuron fires less than half
  as often as the most active one;
- ``locked``: every neuron's lag stays within lock_tolerance of its final value
  (on the circle of phases) for at least the last half of the run;
- ``not_locked``: none of these (also a single neuron, which has no lag).
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .. import spikes
from .cases import by_case, case_coords, case_dims
from .pairing import NAN_LOCK, lag_and_phase, lock, padded, pair_state, runaway_onset, shortfall

STATES = ("not_locked", "locked", "runaway", "suppression")
BIG = {"zlib": True, "complevel": 4, "shuffle": True}
REFERENCE = "NaN for neuron 0, the reference"


def analyse_pair(ds: xr.Dataset, options: dict, extra: dict | None = None) -> xr.Dataset:
    conds = [str(c) for c in ds["condition"].values]
    out = _short_runs(ds)
    if extra:
        out = out.merge(_long_runs(extra, conds, options), compat="equals", join="exact")
    return out


def _short_runs(ds: xr.Dataset) -> xr.Dataset:
    """Threshold shortfall of the last sample before each reset in the (figure) runs."""
    trains = spikes.trains(ds)
    dims = case_dims(trains, ("neuron",))
    coords = case_coords(trains, dims)
    shape = [trains.sizes[d] for d in dims]
    attrs = {"units": "mV"}
    names = {"shortfall_max": "largest V_thr - V one step before a spike (short run): how far below threshold "
                              "the trace appears to reset",
             "shortfall_median": "median V_thr - V one step before a spike (short run)"}
    values = np.full([2] + shape, np.nan)
    if "V_thr" not in ds:                  # reset off: the run used no threshold and emitted no spike
        attrs["comment"] = "NaN: reset off, so the run has no threshold and no spike"
    elif "V" in ds:
        V = by_case(ds["V"], ds["V"], dims)                            # (*cases, neuron, time)
        thr = by_case(ds["V_thr"], ds["V"].isel(neuron=0, time=0), dims)
        tr = by_case(trains, trains, dims)
        for idx in np.ndindex(*shape):
            values[(slice(None),) + idx] = shortfall(ds["time"].values, V[idx].astype(np.float64), list(tr[idx]),
                                                     float(thr[idx]))
    else:
        attrs["comment"] = "NaN: V was not recorded in the short runs"
    return xr.Dataset({name: (dims, values[i], {**attrs, "long_name": long})
                       for i, (name, long) in enumerate(names.items())}, coords=coords)


def case_result(trains: list, duration: float, tol: float, runaway_isi: float) -> dict:
    """Everything the analysis says about one case: N spike trains (ms) over ``duration``."""
    seqs = [lag_and_phase(trains[0], t) for t in trains[1:]]
    locks = [lock(s, tol, duration) for s in seqs]
    onset = runaway_onset(trains, runaway_isi)
    state = pair_state(trains, onset, locks, duration)
    if state != "locked":                  # e.g. a runaway pair settles too, but at the time-step limit
        locks = [{**lk, "time": np.nan} for lk in locks]
    empty = {k: np.zeros(0) for k in ("time", "lag", "phase", "period")}
    first = trains[0]
    rate = 1e3 / np.mean(np.diff(first[-11:])) if first.size > 1 else (0.0 if first.size == 0 else np.nan)
    return {"trains": trains, "seq": [empty] + seqs, "lock": [dict(NAN_LOCK)] + locks, "runaway_onset": onset,
            "state": STATES.index(state), "final_rate": rate,
            "lock_time": max(lk["time"] for lk in locks) if state == "locked" else np.nan}


def long_runs(extra: dict, conds) -> xr.Dataset:
    """The long runs on the figure runs' layout, (condition, [swept...], neuron): gathered like the experiment
    (chunks of a sweep joined, ``point`` unstacked), conditions named as in the experiment."""
    from ..gather import gather_experiment

    long = gather_experiment("coupled_pair", "long runs", extra)
    names = [str(c).split(":")[0] for c in long["condition"].values]   # "<condition>:long"
    long = long.assign_coords(condition=("condition", names, long["condition"].attrs))
    missing = set(conds) - set(names)
    if missing:
        raise ValueError(f"no long run for condition(s) {sorted(missing)}")
    return long if names == list(conds) else long.sel(condition=list(conds))


def duration_ms(job: xr.Dataset) -> float:
    """The simulated duration of a (long-run) dataset: its attribute, else the longest of its jobs."""
    if "duration_ms" in job.attrs:
        return float(job.attrs["duration_ms"])
    return max(p["duration"] for p in json.loads(job.attrs["lifsim_params"]).values()) * 1e3


def _long_runs(extra: dict, conds, options: dict) -> xr.Dataset:
    tol = options["lock_tolerance"] * 1e3
    runaway_isi = options["runaway_isi"] * 1e3
    long = long_runs(extra, conds)
    trains = spikes.trains(long)
    every = long["runaway_onset"]
    dims = case_dims(trains, ("neuron",))
    coords = {**case_coords(trains, dims), "neuron": trains["neuron"]}
    shape = [trains.sizes[d] for d in dims]
    tr = by_case(trains, trains, dims)
    durations = {c: duration_ms(long) for c in conds}
    cases = [case_result(list(tr[idx]), durations[conds[idx[0]]], tol, runaway_isi) for idx in np.ndindex(*shape)]

    def grid(values, dtype=float):
        return np.asarray(values, dtype=dtype).reshape(shape + list(np.shape(values)[1:]))

    def ragged(rows):
        arr = padded(rows)
        return arr.reshape(shape + list(arr.shape[1:]))

    spike_time = ragged([c["trains"] for c in cases])                            # (*cases, neuron, index)
    seq = {k: ragged([[s[k] for s in c["seq"]] for c in cases]) for k in ("time", "lag", "phase", "period")}
    lock_of = {k: grid([[lk[k] for lk in c["lock"]] for c in cases]) for k in ("phase", "lag", "range")}
    onsets = by_case(every, trains, dims)
    every_step = np.min(np.where(np.isfinite(onsets), onsets, np.inf), axis=-1)
    nd, sp, ps = dims + ["neuron"], dims + ["neuron", "spike_index"], dims + ["neuron", "pair_spike"]
    out = xr.Dataset({
        "spike_time": (sp, spike_time, {"long_name": "spike time (long run)", "units": "ms"}),
        "isi": (sp, np.diff(spike_time, axis=-1, prepend=np.nan),
                {"long_name": "interval from the previous spike of the same neuron (long run)", "units": "ms"}),
        "lag_time": (ps, seq["time"], {"long_name": "time of the spike of the neuron", "units": "ms",
                                       "comment": REFERENCE}),
        "spike_time_difference": (ps, seq["lag"], {
            "long_name": "spike time of the neuron minus the nearer spike of neuron 0", "units": "ms",
            "comment": REFERENCE}),
        "phase": (ps, seq["phase"], {
            "long_name": "phase of the neuron's spike in neuron 0's cycle (0: together, 0.5: alternating)",
            "units": "1", "comment": REFERENCE}),
        "period": (ps, seq["period"], {"long_name": "interval of neuron 0 around the spike of the neuron",
                                       "units": "ms", "comment": REFERENCE}),
        "state": (dims, grid([c["state"] for c in cases], np.int8), {
            "long_name": "state of the coupled neurons over the long run", "units": "1",
            "flag_values": np.arange(len(STATES), dtype=np.int8), "flag_meanings": " ".join(STATES)}),
        "runaway_onset": (dims, grid([c["runaway_onset"] for c in cases]), {
            "long_name": "first time an inter-spike interval was <= runaway_isi (NaN: never)", "units": "ms",
            "runaway_isi_ms": runaway_isi}),
        "every_step_onset": (dims, np.where(np.isfinite(every_step), every_step, np.nan), {
            "long_name": "first time a neuron fired on two consecutive time steps (NaN: never)", "units": "ms"}),
        "lock_time": (dims, grid([c["lock_time"] for c in cases]), {
            "long_name": "time from which every neuron's lag stays within lock_tolerance of its final value "
                         "(NaN unless the state is locked)", "units": "ms", "lock_tolerance_ms": tol}),
        "locked_phase": (nd, lock_of["phase"], {
            "long_name": "circular mean phase over the last half of the run (the locked phase if locked)",
            "units": "1", "comment": REFERENCE + "; NaN with fewer than two spikes in the last half"}),
        "locked_lag": (nd, lock_of["lag"], {
            "long_name": "locked phase times the mean period, wrapped to [-period/2, period/2)", "units": "ms",
            "comment": REFERENCE}),
        "lag_range": (nd, lock_of["range"], {
            "long_name": "range of the lag around its final value over the last half of the run", "units": "ms",
            "comment": REFERENCE}),
        "final_rate": (dims, grid([c["final_rate"] for c in cases]), {
            "long_name": "rate of neuron 0 over its last 10 intervals (long run)", "units": "Hz",
            "comment": "0: neuron 0 never fired; NaN: it fired once (no interval)"}),
        "spike_count_long": (nd, grid([[t.size for t in c["trains"]] for c in cases], np.int64), {
            "long_name": "number of spikes in the long run", "units": "1"}),
    }, coords=coords)
    for name in ("spike_time", "isi", "lag_time", "spike_time_difference", "phase", "period"):
        out[name].encoding = dict(BIG)
    for name, long in (("spike_index", "index of the spike in its train"),
                       ("pair_spike", "index of the neuron's spike that has a spike of neuron 0 on either side")):
        out = out.assign_coords({name: (name, np.arange(out.sizes[name]), {"long_name": long, "units": "1"})})
    out["analysis_duration"] = xr.DataArray(max(durations.values()), attrs={
        "long_name": "duration of the long runs", "units": "ms"})
    return out
