"""Synchrony of coupled pairs over a parameter grid (the pair_grid experiment).

For each pair, over the second half of the run: every spike of neuron 1 is
given its phase within the enclosing inter-spike interval of neuron 0,
phi = (t1 - t0_prev) / (t0_next - t0_prev). The circular mean of phi gives the
locked phase; its resultant length (1: perfectly locked, 0: no preferred
phase) says how well it is locked. ``phase_difference`` folds the phase to
[0, 0.5]: 0 is synchrony, 0.5 alternation (anti-phase). Pairs that ran away
(a neuron fired on consecutive time steps) get NaN and ``runaway = 1``.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from .. import spikes


def pair_phase(a: np.ndarray, b: np.ndarray, start: float) -> tuple[float, float, float]:
    """(mean phase in [0, 1), resultant length, rate of neuron 0 in Hz) of train b against train a (ms)."""
    a = a[a >= start]
    b = b[(b >= start)]
    if a.size < 2:
        return np.nan, np.nan, np.nan
    b = b[(b >= a[0]) & (b < a[-1])]
    rate = 1e3 * (a.size - 1) / (a[-1] - a[0])
    if b.size == 0:
        return np.nan, np.nan, rate
    k = np.searchsorted(a, b, side="right") - 1
    phi = (b - a[k]) / (a[k + 1] - a[k])
    z = np.exp(2j * np.pi * phi).mean()
    return float(np.angle(z) / (2 * np.pi) % 1.0), float(np.abs(z)), rate


def analyse_synchrony(ds: xr.Dataset, options: dict) -> xr.Dataset:
    trains = spikes.trains(ds)
    grid_dims = [d for d in ds["spike_count"].dims if d != "neuron"]
    duration = _duration_ms(ds)
    shape = [ds.sizes[d] for d in grid_dims]
    phase = np.full(shape, np.nan)
    locking = np.full(shape, np.nan)
    rate = np.full(shape, np.nan)
    runaway = np.isfinite(ds["runaway_onset"]).any("neuron").transpose(*grid_dims).values
    t0 = trains.sel(neuron=0).transpose(*grid_dims).values
    t1 = trains.sel(neuron=1).transpose(*grid_dims).values
    for idx in np.ndindex(*shape):
        if not runaway[idx]:
            phase[idx], locking[idx], rate[idx] = pair_phase(t0[idx], t1[idx], duration / 2)
    coords = {d: ds[d] for d in grid_dims}
    folded = np.minimum(phase, 1.0 - phase)
    return xr.Dataset({
        "phase": xr.DataArray(phase, dims=grid_dims, coords=coords, attrs={
            "long_name": "mean phase of neuron 1's spikes in neuron 0's cycle, second half of the run",
            "units": "1"}),
        "phase_difference": xr.DataArray(folded, dims=grid_dims, coords=coords, attrs={
            "long_name": "phase difference folded to [0, 0.5]: 0 synchrony, 0.5 alternation", "units": "1"}),
        "locking": xr.DataArray(locking, dims=grid_dims, coords=coords, attrs={
            "long_name": "resultant length of the phases (1: phase-locked, 0: no preferred phase)", "units": "1"}),
        "rate": xr.DataArray(rate, dims=grid_dims, coords=coords, attrs={
            "long_name": "firing rate of neuron 0 in the second half of the run", "units": "Hz"}),
        "runaway": xr.DataArray(runaway.astype(np.int8), dims=grid_dims, coords=coords, attrs={
            "long_name": "1 where a neuron of the pair fired on consecutive time steps (phase undefined)",
            "units": "1"}),
    })


def _duration_ms(ds: xr.Dataset) -> float:
    import json

    params = json.loads(ds.attrs["lifsim_params"])
    return max(p["duration"] for p in params.values()) * 1e3
