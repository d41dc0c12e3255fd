"""Looping over the points of an experiment: every index of the dimensions an analysis does not reduce.

An analysis that works on one neuron group at a time (a pair's spike trains, a
trace) loops over the *cases*: the condition and any swept parameters. These
helpers keep that loop dimension-agnostic, so the same code serves a dataset
of dims (condition, neuron, time) and one of (condition, g_star, tau_syn,
neuron, time).
"""
from __future__ import annotations

import numpy as np
import xarray as xr


def case_dims(var: xr.DataArray, core: tuple[str, ...]) -> list[str]:
    """The dimensions of ``var`` that are not ``core``, in their order."""
    return [d for d in var.dims if d not in core]


def case_coords(obj, dims) -> dict:
    """The coordinates of ``dims`` (index coordinates and the non-index ones along them)."""
    return {name: c for name, c in obj.coords.items() if c.dims and set(c.dims) <= set(dims)}


def by_case(var: xr.DataArray, template: xr.DataArray, dims) -> np.ndarray:
    """``var`` broadcast against ``template`` (which has every case dim) and transposed to (*dims, rest...)."""
    missing = [d for d in dims if d not in var.dims]
    if missing:
        var = var.expand_dims({d: template.sizes[d] for d in missing})
    return var.transpose(*dims, ...).values


def labels(obj, dims, index) -> dict:
    """``{dim: coordinate value}`` of one case, for ``.sel`` and for text."""
    return {d: obj[d].values[i].item() if hasattr(obj[d].values[i], "item") else obj[d].values[i]
            for d, i in zip(dims, index)}


def case_list(obj, dims) -> list[dict]:
    """Every case of ``obj`` over ``dims`` (condition first, then any swept parameters) as selectors."""
    return [labels(obj, dims, idx) for idx in np.ndindex(*[obj.sizes[d] for d in dims])]


def describe(obj, sel: dict) -> str:
    """A case for prose: 'base, g_star = 30 nS'."""
    parts = []
    for d, v in sel.items():
        if d == "condition":
            parts.insert(0, str(v))
        else:
            unit = obj[d].attrs.get("units", "")
            parts.append(f"{d} = {v:g} {unit}".rstrip())
    return ", ".join(parts)


def at(var: xr.DataArray, sel: dict) -> float:
    """The value of ``var`` at a case, ignoring the case's dims that ``var`` does not have."""
    return float(var.sel({d: v for d, v in sel.items() if d in var.dims}))
