"""Experiment kinds whose jobs are the chunks of a parameter sweep: ``fi_curve`` and ``pair_grid``.

See ``sweeps.py`` for the sweep spec and how a grid is split into content-named jobs.
"""
from __future__ import annotations

import math

from .errors import ConfigError, join
from .experiments import _conditions, _coupling, _duration, _guard_memory, _job
from .resolve import check_dt, draw_spec, time_label
from .sweeps import chunk_name, chunks, expand, parse_sweep, size


def _sweep_jobs(name, exp, common, seed, path, prefix, neuron, duration, per_point, grid, **extra):
    """The jobs of one condition of a sweep: chunks of the grid, named by their content."""
    for param in ("tau_m", "tau_syn", "R_m", "g_exc", "g_inh"):
        if param in grid:  # the extreme swept value decides whether dt is small enough
            pick = max if param in ("R_m", "g_exc", "g_inh") else min
            warning = check_dt(common["dt"], {**neuron, param: pick(expand(grid[param]))}, common["dt_path"],
                               f"{name} (swept {param})", common["allow_large_dt"])
            if warning:
                common["warnings"].append(f"{common['dt_path']}: {warning}")
    parts = chunks(grid, int(exp.get("max_points_per_job", 20000)))
    largest = max(math.prod(size(spec) for spec in part.values()) for part in parts)
    _guard_memory(largest * per_point, [duration], len(parts), common, path)  # per job and gathered
    jobs = {}
    for part in parts:
        n_points = math.prod(size(spec) for spec in part.values())
        job_name = chunk_name(prefix, part, len(parts))
        record_spikes = exp.get("record_spikes", n_points * per_point <= 100_000)
        batch = {"dim": "sweep", "size": n_points * per_point, "per_point": per_point}
        jobs[job_name] = _job(name, exp, common, job_name, neuron, duration, batch, grid=part, label=prefix,
                              record_spikes=record_spikes, **extra)
    return jobs


def _v_init_per_point(raw, per_point, seed, stream, path):
    spec = draw_spec(raw, per_point, seed, stream, path)
    return spec if "uniform" in spec else {"per_point": spec["values"]}


def _fi_curve(name, exp, common, seed, path):
    grid = parse_sweep(exp.get("sweep", {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 250}}), join(path, "sweep"))
    neuron = _conditions(name, exp, common, path)["base"]
    v_init = _v_init_per_point(exp.get("V_init", {"uniform": ["-85 mV", "-75 mV"]}), 1, seed, name,
                               join(path, "V_init"))
    dpath = join(path, "durations")
    durations = [_duration(raw, join(dpath, i), common["dt"]) for i, raw in enumerate(exp.get("durations", ["500 ms"]))]
    if len(set(durations)) != len(durations):
        raise ConfigError(dpath, f"expected distinct durations, got {exp['durations']!r}, which repeats a value")
    jobs = {}
    for d in sorted(durations):
        jobs.update(_sweep_jobs(name, exp, common, seed, path, f"duration-{time_label(d)}", neuron, d, 1, grid,
                                V_init=v_init))
    return jobs


def _pair_grid(name, exp, common, seed, path):
    """Coupled pairs over a grid of parameters, one pair per point (the synchrony map)."""
    duration = _duration(exp.get("duration", "1000 ms"), join(path, "duration"), common["dt"])
    grid = parse_sweep(exp.get("sweep", {}), join(path, "sweep"))
    coupling = _coupling(exp, join(path, "coupling"))
    v_init = _v_init_per_point(exp.get("V_init", ["-60 mV", "-70 mV"]), len(coupling), seed, name,
                               join(path, "V_init"))
    jobs = {}
    for cond, neuron in _conditions(name, exp, common, path).items():
        jobs.update(_sweep_jobs(name, exp, common, seed, path, cond, neuron, duration, len(coupling), grid,
                                V_init=v_init, coupling=coupling))
    return jobs
