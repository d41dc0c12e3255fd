"""Building blocks every experiment kind uses to turn its config into simulation jobs.

A job's params share one layout (see ``lifsim.sim.run.simulate``):

``batch``      the labelled dimension of the job's neurons: ``{"dim", "size", "values"}`` (``dim`` None: one
               neuron; ``"sweep"``: the points of ``grid``, ``per_point`` neurons each, named ``inner``)
``grid``       swept parameters of a sweep job, ``{name: dimension spec}`` (see ``sweeps.py``; may be empty)
``neuron``     the shared model parameters (SI floats), only those the job uses
``V_init``     fixed values or a seeded uniform draw
``presynaptic_spikes``  times (s) at which x of every neuron jumps by g_star
``coupling``   ``W[i][j]``: a spike of neuron j drives neuron i (0/1 times g_star, or conductances in S when
               ``coupling_weights`` is true), or ``None``
"""
from __future__ import annotations

import math

from .errors import ConfigError, join
from .resolve import check_dt, check_memory, draw_spec, quantity, resolve_neuron
from .sweeps import MAX_CHUNKS, chunk_name, chunks, expand, n_chunks, parse_sweep, size

DEFAULT_RECORD = ["V", "I_m", "I_syn", "g_syn", "x"]
SYNAPTIC = ("g_star", "tau_syn", "E_syn")
RESET = ("V_thr", "V_reset", "t_ref")
# Keys every kind reads; a kind lists the others it reads in its module (lifsim.kinds).
COMMON_KEYS = ("kind", "integrator", "dt", "allow_large_dt", "reset", "record", "neuron")
SWEEP_KEYS = ("sweep", "max_points_per_job", "record_spikes")


def common_settings(config: dict, exp: dict, path: str) -> dict:
    """The settings every job of an experiment shares (integrator, dt, reset, record, neuron layers)."""
    dt_path = join(path, "dt") if "dt" in exp else "dt"
    dt = quantity(exp.get("dt", config["dt"]), "time", dt_path)
    if not dt > 0:
        raise ConfigError(dt_path, f"expected a positive time step, got {exp.get('dt', config['dt'])!r}")
    return {
        "integrator": exp.get("integrator", config.get("integrator", "euler")),
        "dt": dt,
        "dt_path": dt_path,
        "reset": exp.get("reset", True),
        "record": sorted(exp.get("record", DEFAULT_RECORD)),
        "neuron_layers": [("neuron", config["neuron"]), (join(path, "neuron"), exp.get("neuron", {}))],
        "allow_large_dt": exp.get("allow_large_dt", config.get("allow_large_dt", False)),
        "warnings": [],
    }


def duration(raw, path: str, dt: float) -> float:
    """A positive duration of at least one time step (s)."""
    value = quantity(raw, "time", path)
    if not value > 0:
        raise ConfigError(path, f"expected a positive duration, got {raw!r}")
    if value < dt:
        raise ConfigError(path, f"expected a duration of at least one time step ({dt * 1e3:g} ms), got {raw!r}")
    return value


def job(name, exp, common, condition, neuron, duration_s, batch, **extra) -> dict:
    """One job's params (see the module docstring), holding only the neuron parameters it uses."""
    params = {
        "experiment": name, "kind": exp["kind"], "condition": condition,
        "integrator": common["integrator"], "dt": common["dt"], "duration": duration_s,
        "reset": common["reset"], "record": common["record"], "neuron": neuron,
        "batch": batch, "grid": {}, "V_init": {"values": [neuron["E_m"]] * batch["size"]},
        "presynaptic_spikes": [], "coupling": None, "record_spikes": True,
    }
    params.update(extra)
    params["neuron"] = used_params(params)
    return params


def used_params(params: dict) -> dict:
    """Only the neuron parameters this job uses, so that others cannot trigger a rerun."""
    unused = set(params["grid"])
    coupled = any(map(any, params["coupling"] or []))
    if not params["presynaptic_spikes"] and not coupled:
        unused.update(SYNAPTIC)
    elif not params["presynaptic_spikes"] and params.get("coupling_weights"):
        unused.add("g_star")  # the coupling's own conductances replace it
    if not params["reset"]:
        unused.update(RESET)
    return {k: v for k, v in params["neuron"].items() if k not in unused}


def conditions(name: str, exp: dict, common: dict, path: str, grid: dict | None = None) -> dict[str, dict]:
    """Each condition's resolved neuron parameters, checked (dt against its time constants too).

    A parameter that the sweep (``grid``) sets may not be set by the experiment's ``neuron:`` or a
    condition as well: the sweep would silently win.
    """
    out = {}
    for cond, overrides in sorted(exp.get("conditions", {"base": {}}).items()):
        cpath = join(join(path, "conditions"), cond)
        for layer_path, values in [common["neuron_layers"][-1], (cpath, overrides)]:
            for key in sorted(set(values or {}) & set(grid or {})):
                raise ConfigError(join(layer_path, key), f"expected {key!r} to be set in one place, got it both "
                                  f"here and in the sweep ({join(join(path, 'sweep'), key)}), which would "
                                  "override it; remove one of the two")
        layers = common["neuron_layers"] + [(cpath, overrides)]
        neuron = resolve_neuron(layers, common["reset"])
        if common["reset"] and grid:
            check_reset_over_sweep(neuron, layers, grid, path)
        warning = check_dt(common["dt"], neuron, common["dt_path"], f"{name}/{cond}", common["allow_large_dt"])
        if warning:
            common["warnings"].append(f"{common['dt_path']}: {warning}")
        out[cond] = neuron
    return out


def check_reset_over_sweep(neuron: dict, layers: list, grid: dict, path: str) -> None:
    """With reset on, V_reset must lie below V_thr at every sweep point (a swept E_m moves a V_reset: E_m)."""
    touched = [k for k in ("V_reset", "V_thr", "E_m") if k in grid]
    if not touched:
        return
    raw_reset = next((values["V_reset"] for _, values in reversed(layers) if values and "V_reset" in values), None)
    if "V_reset" in grid:
        resets = expand(grid["V_reset"])
    elif raw_reset == "E_m" and "E_m" in grid:
        resets = expand(grid["E_m"])
    else:
        resets = [neuron["V_reset"]]
    thresholds = expand(grid["V_thr"]) if "V_thr" in grid else [neuron["V_thr"]]
    if max(resets) >= min(thresholds):
        raise ConfigError(join(join(path, "sweep"), touched[0]), f"expected V_reset below V_thr at every sweep point (reset "
                          f"is on), got V_reset up to {max(resets) * 1e3:g} mV and V_thr down to "
                          f"{min(thresholds) * 1e3:g} mV")


def guard_memory(n: int, durations: list[float], n_jobs: int, common: dict, path: str) -> None:
    """Refuse before building the experiment's lists if its traces would not fit in memory."""
    per_job = [d for d in durations for _ in range(n_jobs)]
    check_memory(n, per_job, common["dt"], len(common["record"]), path)


def presynaptic_spikes(exp: dict, path: str, duration_s: float) -> list[float]:
    """The experiment's presynaptic spike times (s), sorted, each inside the simulated window."""
    spikes = []
    for i, raw in enumerate(exp.get("presynaptic_spikes", [])):
        t = quantity(raw, "time", join(join(path, "presynaptic_spikes"), i))
        if not 0 <= t < duration_s:
            raise ConfigError(join(join(path, "presynaptic_spikes"), i),
                              f"expected a time within the simulated window [0, {duration_s * 1e3:g} ms), got {raw!r}")
        spikes.append(t)
    return sorted(spikes)


def coupling(exp: dict, cpath: str, default=((0, 1), (1, 0))) -> tuple[list[list[float]], bool]:
    """The coupling matrix and whether it holds conductances (S) rather than 0/1 synapse counts.

    Entries are all 0/1 (each synapse adds the target's g_star) or conductances with units ("30 nS",
    0 for none), one kind per matrix.
    """
    matrix = exp.get("coupling", [list(r) for r in default])
    n = len(matrix)
    weighted = any(isinstance(w, str) for row in matrix for w in row)
    out = []
    for i, row in enumerate(matrix):
        if len(row) != n:
            raise ConfigError(join(cpath, i), f"expected a square matrix: {n} entries per row, got {len(row)}")
        out_row = []
        for j, w in enumerate(row):
            where = join(join(cpath, i), j)
            if weighted:
                value = 0.0 if w == 0 else quantity(w, "conductance", where)
                if value < 0:
                    raise ConfigError(where, f"expected a conductance >= 0, got {w!r}")
                out_row.append(value)
            elif w in (0, 1) and not isinstance(w, bool):
                out_row.append(int(w))
            else:
                raise ConfigError(where, f"expected 0 or 1 (no synapse or one synapse of g_star), or a "
                                  f"conductance such as '30 nS' in every entry, got {w!r}")
        out.append(out_row)
    return out, weighted


def sweep_grid(exp: dict, path: str) -> dict:
    """The experiment's sweep (``{}`` when it has none)."""
    return parse_sweep(exp["sweep"], join(path, "sweep")) if "sweep" in exp else {}


def sweep_jobs(name, exp, common, path, prefix, neuron, duration_s, per_point, grid, inner="neuron",
               **extra) -> dict:
    """The jobs of one condition of a sweep: chunks of the grid, named by their content."""
    for param in ("tau_m", "tau_syn", "R_m", "g_exc", "g_inh"):
        if param in grid:  # the extreme swept value decides whether dt is small enough
            pick = max if param in ("R_m", "g_exc", "g_inh") else min
            warning = check_dt(common["dt"], {**neuron, param: pick(expand(grid[param]))}, common["dt_path"],
                               f"{name} (swept {param})", common["allow_large_dt"])
            if warning:
                common["warnings"].append(f"{common['dt_path']}: {warning}")
    max_points = int(exp.get("max_points_per_job", 20000))
    planned = n_chunks(grid, max_points)
    if planned > MAX_CHUNKS:
        raise ConfigError(join(path, "max_points_per_job"), f"expected a sweep split into at most {MAX_CHUNKS} "
                          f"jobs per condition, got {planned} jobs of at most {max_points} point(s): raise "
                          "max_points_per_job")
    parts = chunks(grid, max_points)
    largest = max(math.prod(size(spec) for spec in part.values()) for part in parts)
    guard_memory(largest * per_point, [duration_s], len(parts), common, path)  # per job and gathered
    jobs = {}
    for part in parts:
        n_points = math.prod(size(spec) for spec in part.values())
        job_name = chunk_name(prefix, part, len(parts))
        record_spikes = exp.get("record_spikes", n_points * per_point <= 100_000)
        batch = {"dim": "sweep", "size": n_points * per_point, "per_point": per_point}
        if inner != "neuron":
            batch["inner"] = inner  # the name of the dimension of a point's neurons (default: neuron)
        jobs[job_name] = job(name, exp, common, job_name, neuron, duration_s, batch, grid=part, label=prefix,
                             record_spikes=record_spikes, **extra)
    return jobs


def v_init_per_point(raw, per_point: int, seed: int, stream: str, path: str) -> dict:
    """Initial voltages of the neurons of each sweep point (the same draw keys for every chunk)."""
    spec = draw_spec(raw, per_point, seed, stream, path)
    return spec if "uniform" in spec else {"per_point": spec["values"]}
