"""Gather the job datasets of one experiment into its labelled dataset.

Jobs are grouped by their label (a condition, or a duration of the f-I curve);
the chunks of a sweep are joined and arranged on the sweep's grid (a single
swept parameter stays one dimension, sorted by value; several are unstacked
from ``point`` into one dimension each); the groups are then stacked along
``condition`` (by name) or ``duration`` (by value). Traces of jobs with
different durations are padded with NaN. Spike trains are decoded before the
rearrangement and encoded again after it, so the ragged layout stays valid.
"""
from __future__ import annotations

import json

import numpy as np

from . import provenance, spikes
from .io import TRACE_ENCODING

KEEP_ATTRS = ("Conventions", "source", "experiment", "kind", "spike_convention")


def _decoded(ds):
    if "spike_time" not in ds:
        return ds
    return ds.drop_vars("spike_time").assign(spike_train=spikes.trains(ds))


def _join_chunks(parts: list):
    import xarray as xr

    ds = parts[0] if len(parts) == 1 else xr.concat(parts, dim=_sweep_dim(parts[0]), data_vars="minimal",
                                                     coords="minimal", compat="override", join="outer",
                                                     combine_attrs="override")
    dim = _sweep_dim(ds)
    if dim == "point":
        names = [c for c in ds.coords if ds[c].dims == ("point",)]
        attrs = {c: ds[c].attrs for c in names}
        if len(names) == 1:   # one swept parameter: it becomes the dimension itself, sorted
            ds = ds.swap_dims(point=names[0]).sortby(names[0])
        else:
            ds = ds.set_index(point=names).unstack("point")
        for c in names:
            ds[c].attrs = attrs[c]
    elif dim is not None:
        ds = ds.sortby(dim)
    return ds


def arrange_sweep(ds):
    """One job's dataset on its sweep's grid: each swept parameter a dimension (as in the gathered dataset)."""
    return _join_chunks([ds]) if "point" in ds.dims else ds


def _sweep_dim(ds):
    if "point" in ds.dims:
        return "point"
    swept = [d for d in ds["spike_count"].dims if d in ds.coords and d not in ("trial", "neuron")]
    return swept[0] if swept else None


def gather_experiment(kind: str, experiment: str, datasets: dict):
    """The experiment's dataset from ``{job name: job dataset}``, the job groups stacked along ``condition``."""
    return gather_along(kind, experiment, datasets, "condition")


def gather_by_duration(kind: str, experiment: str, datasets: dict):
    """The same, the job groups (one per simulated duration) stacked along ``duration`` (the f-I curve)."""
    return gather_along(kind, experiment, datasets, "duration")


def gather_along(kind: str, experiment: str, datasets: dict, dim: str):
    """The experiment's dataset, the job groups stacked along ``dim`` (``condition`` or ``duration``)."""
    import xarray as xr

    groups: dict[str, list] = {}
    params, label_of = {}, {}
    for name, ds in datasets.items():
        params[name] = json.loads(ds.attrs["lifsim_params"])
        label = params[name].get("label", params[name]["condition"])
        label_of.setdefault(label, params[name])
        groups.setdefault(label, []).append(_decoded(ds))
    merged = {label: _join_chunks(parts) for label, parts in groups.items()}
    if dim == "duration":
        labels = sorted(merged, key=lambda lab: label_of[lab]["duration"])
        coord = xr.Variable(("duration",), [label_of[lab]["duration"] * 1e3 for lab in labels],
                            {"long_name": "simulated duration", "units": "ms"})
    else:
        labels = sorted(merged)
        coord = xr.Variable(("condition",), np.asarray(labels, dtype=object), {"long_name": "condition name"})
    out = xr.concat([merged[lab] for lab in labels], dim=dim, data_vars="all", coords="different",
                    compat="equals", join="outer", combine_attrs="override", fill_value=np.nan)
    out = out.assign_coords({dim: coord})
    out["spike_count"] = out["spike_count"].fillna(0).astype(np.int32)
    if "spike_train" in out:
        trains = out["spike_train"].transpose(*out["spike_count"].dims).values.ravel()
        out = out.drop_vars("spike_train")
        times = np.concatenate([np.asarray(t, dtype=np.float64) for t in trains]) if trains.size else np.zeros(0)
        out["spike_time"] = xr.Variable(("spike",), times, {"long_name": "spike time", "units": "ms"})
    for var in out.data_vars.values():
        if "time" in var.dims:
            var.encoding = dict(TRACE_ENCODING)
    first = next(iter(datasets.values())).attrs
    out.attrs = {k: first[k] for k in KEEP_ATTRS if k in first}
    out.attrs["title"] = f"lifsim {first['kind']} experiment: {experiment}"
    out.attrs["runaway"] = "; ".join(f"{n}: {ds.attrs['runaway']}" for n, ds in sorted(datasets.items())
                                     if ds.attrs.get("runaway", "none") != "none") or "none"
    out.attrs.update(provenance.attributes(params, list(params.values())))
    return out
