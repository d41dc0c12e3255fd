"""Spike trains as a CF contiguous ragged array.

All spike times of a dataset sit in one variable ``spike_time(spike)``; the
variable ``spike_count`` (over the neuron dimensions) says how many of them
belong to each train, in C order of those dimensions, and carries
``sample_dimension = "spike"`` (CF conventions, section 9.3.3). The layout is
exact and compact; xarray does not decode it, which is what these helpers do.
"""
from __future__ import annotations

import numpy as np
import xarray as xr


def offsets(counts: np.ndarray) -> np.ndarray:
    """Start index of each train (flattened in C order), length n + 1."""
    flat = np.asarray(counts, dtype=np.int64).ravel()
    return np.concatenate([[0], np.cumsum(flat)])


def trains(ds: xr.Dataset, count_var: str = "spike_count", time_var: str = "spike_time") -> xr.DataArray:
    """Spike trains as an object array labelled like ``spike_count`` (each cell a 1-D array in ms)."""
    counts = ds[count_var]
    times = ds[time_var].values
    off = offsets(counts.values)
    cells = np.empty(counts.size, dtype=object)
    for i in range(counts.size):
        cells[i] = times[off[i]:off[i + 1]]
    return xr.DataArray(cells.reshape(counts.shape), dims=counts.dims, coords=counts.coords, name="spike_train")


def train(ds: xr.Dataset, **labels) -> np.ndarray:
    """One spike train (ms), selected by labels: ``train(ds, condition="base", neuron=0)``."""
    return trains(ds).sel(**labels).item()


def padded(ds: xr.Dataset) -> xr.DataArray:
    """Spike times (ms) as a NaN-padded array with a trailing ``spike_index`` dimension."""
    counts = ds["spike_count"]
    off = offsets(counts.values)
    width = int(counts.values.max()) if counts.size else 0
    out = np.full((counts.size, width), np.nan)
    times = ds["spike_time"].values
    for i in range(counts.size):
        out[i, : off[i + 1] - off[i]] = times[off[i]:off[i + 1]]
    return xr.DataArray(out.reshape(counts.shape + (width,)), dims=counts.dims + ("spike_index",),
                        coords={**{d: ds[d] for d in counts.dims if d in ds.coords},
                                "spike_index": np.arange(width)},
                        attrs={"long_name": "spike time", "units": "ms"})
