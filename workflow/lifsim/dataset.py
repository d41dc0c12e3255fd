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

from . import provenance, units
from .io import TRACE_ENCODING
from .params import NEURON_PARAMS, TRACE_VARIABLES

SPIKE_CONVENTION = ("a presynaptic spike makes x jump by g_star at the grid point nearest to its time "
                    "(euler) or at its own time (exact); "
                    "an emitted spike is the time V reaches V_thr (a grid point for euler, "
                    "the crossing inside the step for exact), after which V := V_reset")


def _var(data, dims, dimension: str | None, long_name: str, **attrs) -> tuple:
    attrs = {"long_name": long_name, **attrs}
    if dimension is not None:
        data = units.to_display(np.asarray(data, dtype=np.float64), dimension)
        attrs["units"] = units.DISPLAY_UNITS[dimension]
    return (tuple(dims), np.asarray(data), attrs, {})


def decimal_coordinate(values) -> np.ndarray:
    """Display-unit coordinate values rounded to 12 significant digits, so that a sweep written as
    ``30 nS`` in the config holds 30.0 (not 30.000000000000004 from 3e-8 * 1e9) and ``.sel(g_star=30)``
    finds it. The simulated SI value differs by less than 1e-12 relative."""
    x = np.asarray(values, dtype=np.float64)
    out = x.copy()
    nonzero = np.isfinite(x) & (x != 0)
    k = 11 - np.floor(np.log10(np.abs(x[nonzero])))
    ok = (k >= 0) & (k <= 22)
    scale = 10.0 ** k[ok]
    rounded = out[nonzero]
    rounded[ok] = np.rint(x[nonzero][ok] * scale) / scale
    out[nonzero] = rounded
    return out


def _coord(values, dims, dimension: str, long_name: str) -> tuple:
    dims_, data, attrs, encoding = _var(values, dims, dimension, long_name)
    return (dims_, decimal_coordinate(data), attrs, encoding)


def job_variables(params: dict, result) -> dict:
    """The content of one job's dataset as plain arrays: ``{"coords", "data_vars", "attrs"}``.

    Each variable is ``(dims, array, attrs, encoding)``. The simulation job writes this with
    netCDF4 directly (``lifsim.io.write_variables``), which spares it xarray's import;
    :func:`job_dataset` turns the same content into an ``xr.Dataset``.
    """
    batch = params["batch"]
    dim = batch["dim"]
    squeeze = dim is None
    ndims = () if squeeze else (dim,)
    pick = (lambda a: a[0]) if squeeze else (lambda a: a)  # first axis: the job's neurons

    coords = {}
    if result.traces:
        coords["time"] = _var(result.times, ("time",), "time", "time", axis="T", standard_name="time")
    if dim == "sweep":
        ndims, pick, coords = _sweep_layout(params, coords)
    elif dim is not None:
        coords[dim] = ((dim,), np.asarray(batch["values"], dtype=np.int64),
                       {"long_name": {"trial": "trial number",
                                      "neuron": "neuron index (row of the coupling matrix)"}[dim],
                        "units": "1"}, {})
    data_vars = {}
    for name, trace in result.traces.items():
        dimension, long_name = TRACE_VARIABLES[name]
        dims_, data, attrs, _ = _var(pick(trace.T), ndims + ("time",), dimension, long_name)
        data_vars[name] = (dims_, data, attrs, dict(TRACE_ENCODING))
    counts = result.spike_counts().astype(np.int32)
    recorded = params.get("record_spikes", True)
    data_vars["spike_count"] = (ndims, np.asarray(pick(counts)), {
        "long_name": "number of spikes of each train", "units": "1",
        **({"sample_dimension": "spike"} if recorded else {"comment": "spike times were not recorded"})}, {})
    if recorded:
        data_vars["spike_time"] = _var(result.spike_time, ("spike",), "time", "spike time")
    summary = result.spike_summary()
    for key, long_name in (("first_spike", "time of the first spike (NaN: none)"),
                           ("mean_isi", "mean inter-spike interval (NaN: fewer than two spikes)"),
                           ("isi_std", "standard deviation of the inter-spike intervals (NaN: fewer than three)")):
        data_vars[key] = _var(pick(summary[key]), ndims, "time", long_name)
    data_vars["runaway_onset"] = _var(
        pick(result.runaway_onset), ndims, "time",
        "first time the neuron fired twice within one time step, on consecutive steps for euler (NaN: never)")
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
        "kernel": result.info.get("kernel", "numpy"), "kernel_threads": int(result.info.get("threads", 1)),
        "runaway": (f"{n_runaway} neuron(s) fired twice within one time step (see runaway_onset)"
                    if n_runaway else "none"),
    }
    attrs.update(provenance.attributes(params))
    return {"coords": coords, "data_vars": data_vars, "attrs": attrs}


INNER_LONG_NAMES = {"neuron": "neuron index within the point (row of the coupling matrix)",
                    "trial": "trial number within the point"}


def _sweep_layout(params: dict, coords: dict):
    """Dimensions of a sweep job: the swept parameter itself when there is one and one neuron per point,
    else ``point`` (with one coordinate per swept parameter) and ``neuron`` (or ``trial``) within the point."""
    from .sim.batch import grid_points

    points = grid_points(params["grid"])
    per_point = params["batch"].get("per_point", 1)
    names = list(points)
    # trials and coupled neurons keep their dimension even when a point has one of them (trials: 1, a 1x1 matrix)
    inner = params["batch"].get("inner", "neuron" if params.get("coupling") is not None else None)
    if len(names) == 1 and per_point == 1 and inner is None:
        name = names[0]
        dimension, long_name = NEURON_PARAMS[name]
        coords[name] = _coord(points[name], (name,), dimension, long_name)
        return (name,), (lambda a: a), coords
    for name in names:
        dimension, long_name = NEURON_PARAMS[name]
        coords[name] = _coord(points[name], ("point",), dimension, long_name)
    if per_point == 1 and inner is None:
        return ("point",), (lambda a: a), coords
    inner = inner or "neuron"
    coords[inner] = ((inner,), np.arange(per_point), {"long_name": INNER_LONG_NAMES[inner], "units": "1"}, {})

    def pick(a):
        a = np.asarray(a)
        return a.reshape((a.shape[0] // per_point, per_point) + a.shape[1:])
    return ("point", inner), pick, coords


def to_dataset(content: dict):
    """An ``xr.Dataset`` from :func:`job_variables` content."""
    import xarray as xr

    def variable(dims, data, attrs, encoding):
        var = xr.Variable(dims, data, attrs)
        var.encoding = dict(encoding)
        return var

    return xr.Dataset({k: variable(*v) for k, v in content["data_vars"].items()},
                      coords={k: variable(*v) for k, v in content["coords"].items()}, attrs=content["attrs"])


def to_content(ds) -> dict:
    """:func:`job_variables` content from an ``xr.Dataset`` (what ``lifsim.io.read_variables`` gives for its file)."""
    def entry(var):
        return (tuple(var.dims), var.values, dict(var.attrs), dict(var.encoding))

    return {"coords": {k: entry(v) for k, v in ds.coords.items()},
            "data_vars": {k: entry(v) for k, v in ds.data_vars.items()}, "attrs": dict(ds.attrs)}


def make_content(data: dict, coords: dict, attrs: dict) -> dict:
    """Job content from ``{name: (dims, array, attrs)}`` of variables and of coordinates (no encodings)."""
    def entry(dims, data, var_attrs):
        return ((dims,) if isinstance(dims, str) else tuple(dims), np.asarray(data), var_attrs, {})

    return {"coords": {k: entry(*v) for k, v in coords.items()}, "data_vars": {k: entry(*v) for k, v in data.items()},
            "attrs": attrs}


def values(content: dict, name: str) -> np.ndarray:
    """The array of variable or coordinate ``name`` of job content."""
    entry = content["data_vars"].get(name) or content["coords"][name]
    return np.asarray(entry[1])


def job_dataset(params: dict, result):
    """The labelled dataset of one simulation job."""
    return to_dataset(job_variables(params, result))
