"""Parameter sweeps: product grids of any model parameter, split into jobs of bounded size.

A sweep in the config maps parameter names to values::

    sweep:
      g_star: [10 nS, 30 nS, 60 nS]                       # a list
      tau_syn: {start: 2 ms, stop: 20 ms, num: 10}          # linearly spaced, both ends included
      I_e: {start: 0.1 nA, stop: 10 nA, num: 50, scale: log}  # logarithmically spaced

Each swept parameter becomes a dimension of the experiment's dataset, named
like its key; dimensions are ordered by name (key order in YAML carries no
meaning) and the values along each are sorted. The grid is split into jobs
along its first dimension: a job takes whole rows (all points that share a
value of the first dimension), at most ``max_points_per_job`` points unless a
single row is larger. A job is named by a hash of its content, so that
extending the first dimension reruns only the new rows' jobs, and editing one
value of the first dimension reruns only the job holding it.

A kind may declare more sweepable names than the model parameters (``extra``:
``{"noise.sigma": ("voltage", "white-noise amplitude sigma (Brunel)")}``); the
grid then names that dimension by the last part of the key (``sigma``).
"""
from __future__ import annotations

import math

from ..params import NEURON_PARAMS
from .errors import ConfigError, join
from .resolve import canonical_json, linspace, quantity, sha256

SWEEPABLE = tuple(sorted(NEURON_PARAMS))


def dim_spec(name: str, spec, path: str, extra: dict | None = None) -> dict:
    """One swept parameter as a compact spec: ``{"values": [...]}`` (sorted) or
    ``{"range": [start, stop, num, scale]}`` (SI). Refuses empty, duplicate or unknown ones.

    ``extra``: sweepable names besides the model parameters, ``{name: (dimension, long name)}``."""
    known = {**NEURON_PARAMS, **(extra or {})}
    if name not in known:
        names = ", ".join(sorted(known))
        raise ConfigError(path, f"expected a model parameter to sweep ({names}), got {name!r}")
    dim = known[name][0]
    if isinstance(spec, list):
        if not spec:
            raise ConfigError(path, "expected at least one value, got an empty list")
        values = [quantity(v, dim, join(path, i)) for i, v in enumerate(spec)]
        if len(set(values)) != len(values):
            raise ConfigError(path, f"expected distinct values, got duplicates in {spec!r}")
        return {"values": sorted(values)}
    start = quantity(spec["start"], dim, join(path, "start"))
    stop = quantity(spec["stop"], dim, join(path, "stop"))
    scale = spec.get("scale", "linear")
    if int(spec["num"]) > 1 and start == stop:
        raise ConfigError(path, f"expected distinct sweep values (start < stop when num > 1), got start = stop "
                          f"= {spec['start']!r} with num = {spec['num']}")
    if int(spec["num"]) > 1 and not start < stop:
        raise ConfigError(path, f"expected start < stop, got {spec['start']!r} .. {spec['stop']!r}")
    if scale == "log" and not start > 0:
        raise ConfigError(join(path, "start"), f"expected a positive start for a log scale, got {spec['start']!r}")
    return {"range": [start, stop, int(spec["num"]), scale]}


def expand(spec: dict) -> list[float]:
    """The values of a dimension spec (a slice of it if ``spec`` has ``"slice": [i0, i1]``)."""
    if "values" in spec:
        values = spec["values"]
    else:
        start, stop, num, scale = spec["range"]
        if scale == "log":
            values = [math.exp(v) for v in linspace(math.log(start), math.log(stop), num)]
            values[0], values[-1] = start, stop
        else:
            values = linspace(start, stop, num)
    i0, i1 = spec.get("slice", [0, len(values)])
    return values[i0:i1]


def size(spec: dict) -> int:
    if "slice" in spec:
        return spec["slice"][1] - spec["slice"][0]
    return len(spec["values"]) if "values" in spec else spec["range"][2]


# The largest grid one experiment may sweep (1e8 points of 1 s at dt = 0.1 ms are 1e12 neuron-steps).
MAX_POINTS = 10**8


def dim_name(key: str) -> str:
    """The dimension a sweep key makes: the key itself, or its last part (``noise.sigma`` -> ``sigma``)."""
    return key.rsplit(".", 1)[-1]


def parse_sweep(raw: dict, path: str, extra: dict | None = None) -> dict[str, dict]:
    """``{name: dimension spec}`` with names in sorted order (the dataset's dimension order).

    ``extra`` (see :func:`dim_spec`): more sweepable keys; each is named by :func:`dim_name` in the grid."""
    if not raw:
        raise ConfigError(path, "expected at least one swept parameter, got an empty sweep")
    specs = {dim_name(key): dim_spec(key, raw[key], join(path, key), extra) for key in raw}
    grid = {name: specs[name] for name in sorted(specs)}
    total = math.prod(size(spec) for spec in grid.values())
    if total > MAX_POINTS:
        raise ConfigError(path, f"expected at most {MAX_POINTS:.0e} grid points in one experiment, got {total:.3g}: "
                          "split the sweep into several experiments")
    return grid


# The most jobs one sweep may be split into (a larger max_points_per_job, or fewer points, is needed beyond).
MAX_CHUNKS = 2000


def n_chunks(grid: dict[str, dict], max_points: int) -> int:
    """How many jobs :func:`chunks` makes, computed without building them."""
    names = list(grid)
    row = math.prod(size(grid[n]) for n in names[1:])
    per_job = max(1, max_points // row)
    return -(-size(grid[names[0]]) // per_job)


def chunks(grid: dict[str, dict], max_points: int) -> list[dict[str, dict]]:
    """Split the grid into sub-grids of whole rows along its first dimension."""
    names = list(grid)
    row = math.prod(size(grid[n]) for n in names[1:])
    per_job = max(1, max_points // row)
    first = grid[names[0]]
    return [{names[0]: {**first, "slice": [i, min(i + per_job, size(first))]},
             **{n: grid[n] for n in names[1:]}}
            for i in range(0, size(first), per_job)]


def chunk_name(prefix: str, chunk: dict, n_chunks: int) -> str:
    """A job name from the chunk's values: stable under additions elsewhere in the sweep."""
    if n_chunks == 1:
        return prefix
    first = next(iter(chunk.values()))
    i0, i1 = first["slice"]
    key = [value_at(first, i0), value_at(first, i1 - 1), i1 - i0]
    return f"{prefix}-part-{sha256(canonical_json(key))[:10]}"


def value_at(spec: dict, i: int) -> float:
    """The i-th value of a dimension spec (ignoring its slice), as :func:`expand` computes it."""
    if "values" in spec:
        return spec["values"][i]
    start, stop, num, scale = spec["range"]
    if i == num - 1:
        return stop
    if i == 0:
        return start
    if scale == "log":
        lo, hi = math.log(start), math.log(stop)
        return math.exp(lo + i * ((hi - lo) / (num - 1)))
    return start + i * ((stop - start) / (num - 1))
