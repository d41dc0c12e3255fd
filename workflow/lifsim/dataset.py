"""Labelled xarray datasets: one per simulation job, and one per experiment (the gather).

A job's dataset holds, in display units (UDUNITS symbols):

- coordinates ``time`` (ms) and the job's neuron dimension, named by the
  experiment (``trial``, ``I_e`` in nA, ``neuron``; none for a single neuron);
- traces ``V`` (mV), ``I_m``, ``I_syn`` (nA), ``g_syn``, ``x`` (nS) as recorded,
  dimensions (neuron dimension, time), stored as float32 (about 30 nV error);
- spikes as a CF contiguous ragged array: ``spike_time(spike)`` (ms, float64)
  and ``spike_count`` with ``sample_dimension = "spike"`` (see ``lifsim.spikes``);
- ``runaway_onset`` (ms): first time a neuron fired on two consecutive steps;
- ``V_init`` (mV) and every model parameter the job used, with units;
- provenance attributes (see ``lifsim.provenance``).
"""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from . import provenance, units
from .params import NEURON_PARAMS, TRACE_VARIABLES

TRACE_ENCODING = {"dtype": "float32", "zlib": True, "complevel": 4, "shuffle": True}

SPIKE_CONVENTION = ("a presynaptic spike makes x jump by g_star at the grid point nearest to its time; "
                    "an emitted spike is the time V reaches V_thr (a grid point for euler, "
                    "the crossing inside the step for exact), after which V := V_reset")


def _var(data, dims, dimension: str | None, long_name: str, **attrs) -> xr.Variable:
    attrs = {"long_name": long_name, **attrs}
    if dimension is not None:
        data = units.to_display(np.asarray(data, dtype=np.float64), dimension)
        attrs["units"] = units.DISPLAY_UNITS[dimension]
    return xr.Variable(dims, data, attrs)


def job_dataset(params: dict, result) -> xr.Dataset:
    """The labelled dataset of one simulation job."""
    batch = params["batch"]
    dim = batch["dim"]
    squeeze = dim is None
    ndims = () if squeeze else (dim,)
    pick = (lambda a: a[0]) if squeeze else (lambda a: a)  # first axis: the job's neurons

    coords = {}
    if result.traces:
        coords["time"] = _var(result.times, ("time",), "time", "time", axis="T", standard_name="time")
    if dim == "I_e":
        coords[dim] = _var(batch["values"], (dim,), "current", NEURON_PARAMS["I_e"][1])
    elif dim is not None:
        coords[dim] = xr.Variable((dim,), np.asarray(batch["values"], dtype=np.int64),
                                  {"long_name": {"trial": "trial number",
                                                 "neuron": "neuron index (row of the coupling matrix)"}[dim]})
    data_vars = {}
    for name, trace in result.traces.items():
        dimension, long_name = TRACE_VARIABLES[name]
        var = _var(pick(trace.T), ndims + ("time",), dimension, long_name)
        var.encoding = dict(TRACE_ENCODING)
        data_vars[name] = var
    counts = result.spike_counts().astype(np.int32)
    data_vars["spike_count"] = xr.Variable(
        ndims, pick(counts), {"long_name": "number of spikes of each train", "sample_dimension": "spike"})
    data_vars["spike_time"] = _var(result.spike_time, ("spike",), "time", "spike time")
    data_vars["runaway_onset"] = _var(
        pick(result.runaway_onset), ndims, "time",
        "first time the neuron fired on two consecutive time steps (NaN: never)")
    data_vars["V_init"] = _var(pick(result.V0), ndims, "voltage", "initial membrane potential")
    for name, value in params["neuron"].items():
        dimension, long_name = NEURON_PARAMS[name]
        data_vars[name] = _var(value, (), dimension, long_name)
    n_runaway = int(np.isfinite(result.runaway_onset).sum())
    attrs = {
        "title": f"lifsim {params['kind']} simulation: {params['experiment']} / {params['condition']}",
        "Conventions": "CF-1.10",
        "source": "lifsim conductance-based leaky integrate-and-fire model",
        "experiment": params["experiment"], "kind": params["kind"], "condition": params["condition"],
        "duration_ms": params["duration"] * 1e3, "reset": int(params["reset"]),
        "presynaptic_spikes_ms": json.dumps([t * 1e3 for t in params["presynaptic_spikes"]]),
        "coupling": json.dumps(params["coupling"]),
        "spike_convention": SPIKE_CONVENTION,
        "runaway": (f"{n_runaway} neuron(s) fired on consecutive time steps: spike times there are limited "
                    "by dt" if n_runaway else "none"),
    }
    attrs.update(provenance.attributes(params))
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def gather(datasets: dict[str, xr.Dataset], dim: str, experiment: str, coord=None) -> xr.Dataset:
    """Stack the job datasets of one experiment along ``dim`` (jobs in the given order).

    ``coord`` optionally gives the coordinate variable of ``dim`` (default: the
    job names). Traces of jobs with different durations are padded with NaN.
    Spike trains are re-concatenated so that the ragged layout stays valid.
    """
    names = list(datasets)
    parts, spikes, params = [], [], {}
    for name in names:
        ds = datasets[name]
        spikes.append(ds["spike_time"].values)
        params[name] = json.loads(ds.attrs["lifsim_params"])
        parts.append(ds.drop_vars("spike_time"))
    label = coord if coord is not None else xr.Variable((dim,), np.asarray(names, dtype=object),
                                                       {"long_name": "condition name"})
    out = xr.concat(parts, dim=dim, data_vars="all", coords="different", compat="equals",
                    join="outer", combine_attrs="override", fill_value=np.nan)
    out = out.assign_coords({dim: label})
    out["spike_count"] = out["spike_count"].fillna(0).astype(np.int32)
    out["spike_time"] = xr.concat([datasets[n]["spike_time"] for n in names], dim="spike")
    for name, var in out.data_vars.items():
        if "time" in var.dims:
            var.encoding = dict(TRACE_ENCODING)
    for name in names:  # keep the attributes of the first job that describe the whole experiment
        first = datasets[name].attrs
        break
    out.attrs = {k: first[k] for k in ("Conventions", "source", "experiment", "kind", "spike_convention")
                 if k in first}
    out.attrs["title"] = f"lifsim {first['kind']} experiment: {experiment}"
    out.attrs["runaway"] = "; ".join(f"{n}: {datasets[n].attrs['runaway']}" for n in names
                                     if datasets[n].attrs.get("runaway", "none") != "none") or "none"
    out.attrs.update(provenance.attributes(params, list(params.values())))
    return out


def gather_experiment(kind: str, experiment: str, datasets: dict[str, xr.Dataset]) -> xr.Dataset:
    """Gather an experiment's jobs: an f-I curve along ``duration`` (ms), the others along ``condition``."""
    if kind == "fi_curve":
        datasets = dict(sorted(datasets.items(), key=lambda item: item[1].attrs["duration_ms"]))
        durations = [ds.attrs["duration_ms"] for ds in datasets.values()]
        coord = xr.Variable(("duration",), np.asarray(durations, dtype=np.float64),
                            {"long_name": "simulated duration", "units": "ms"})
        return gather(datasets, "duration", experiment, coord)
    return gather(datasets, "condition", experiment)
