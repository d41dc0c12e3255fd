"""Spike-train analyses: trials from different initial voltages, and the coupled pair."""
from __future__ import annotations

import numpy as np
import xarray as xr

from .. import spikes


def analyse_trials(ds: xr.Dataset, options: dict) -> xr.Dataset:
    """Per trial: spike times, ISIs, and the lag of each spike behind trial 0's spike of the same index."""
    t = spikes.padded(ds)
    isi = t.diff("spike_index").assign_attrs(long_name="inter-spike interval", units="ms")
    lag = (t - t.sel(trial=0)).assign_attrs(long_name="spike time minus trial 0's spike of the same index",
                                            units="ms")
    period = isi.mean(("trial", "spike_index"))
    phase = ((lag / period) % 1.0).assign_attrs(long_name="phase lag behind trial 0, lag / mean ISI mod 1",
                                               units="1")
    return xr.Dataset({"spike_time": t, "isi": isi, "lag": lag, "phase_lag": phase,
                       "lag_spread": (lag.max("spike_index") - lag.min("spike_index")).assign_attrs(
                           long_name="largest minus smallest lag over the spikes (0: constant lag)",
                           units="ms")})


def analyse_pair(ds: xr.Dataset, options: dict) -> xr.Dataset:
    """Per condition: the spike-time difference of the two neurons over time, and when it locks."""
    tol_ms = options["lock_tolerance"] * 1e3
    t = spikes.padded(ds)
    a, b = t.sel(neuron=0), t.sel(neuron=1)
    diff = (b - a).assign_attrs(long_name="spike time of neuron 1 minus neuron 0, same spike index",
                                units="ms")
    change = np.abs(diff.diff("spike_index"))
    settled = (change < tol_ms).values
    lock_index = np.full(diff.sizes["condition"], -1)
    for c in range(settled.shape[0]):
        row = settled[c][~np.isnan(change.values[c])]
        for k in range(row.size):
            if row[k:].all():
                lock_index[c] = k + 1
                break
    return xr.Dataset({
        "spike_time": t, "spike_time_difference": diff,
        "lock_index": xr.DataArray(lock_index, dims=("condition",), attrs={
            "long_name": "first spike index from which the difference changes by less than lock_tolerance "
                         "(-1: never)", "lock_tolerance_ms": tol_ms}),
        "runaway_onset": ds["runaway_onset"].min("neuron").assign_attrs(ds["runaway_onset"].attrs),
    })
