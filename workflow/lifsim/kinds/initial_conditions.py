"""Kind ``initial_conditions``: integrate-and-fire from random initial voltages (the notebook's exercise 2a).

One job per condition holding ``trials`` neurons (per chunk of the sweep, with
a ``sweep:``: ``trials`` neurons per point, drawn per point).
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import join
from ..config.resolve import draw_spec
from .base import Kind

DEFAULT_V_INIT = {"uniform": ["-85 mV", "-75 mV"]}


def build(name, exp, common, seed, path):
    duration = jobs.duration(exp.get("duration", "100 ms"), join(path, "duration"), common["dt"])
    trials = int(exp.get("trials", 3))
    grid = jobs.sweep_grid(exp, path)
    conditions = jobs.conditions(name, exp, common, path, grid)
    out = {}
    if grid:
        for cond, neuron in conditions.items():
            v_init = jobs.v_init_per_point(exp.get("V_init", DEFAULT_V_INIT), trials, seed, f"{name}/{cond}",
                                           join(path, "V_init"))
            out.update(jobs.sweep_jobs(name, exp, common, path, cond, neuron, duration, trials, grid,
                                       inner="trial", V_init=v_init))
        return out
    jobs.guard_memory(trials, [duration], len(conditions), common, path)
    batch = {"dim": "trial", "size": trials, "values": list(range(trials))}
    for cond, neuron in conditions.items():
        v_init = draw_spec(exp.get("V_init", DEFAULT_V_INIT), trials, seed, f"{name}/{cond}", join(path, "V_init"))
        out[cond] = jobs.job(name, exp, common, cond, neuron, duration, batch, V_init=v_init)
    return out


KIND = Kind(
    name="initial_conditions",
    description="integrate-and-fire traces from seeded random initial voltages; spike times per trial",
    keys=("duration", "trials", "V_init", "conditions", *jobs.SWEEP_KEYS),
    build=build,
    analyse="lifsim.analysis.trains:analyse_trials",
    summarise="lifsim.summary.trials:summary",
    plot="lifsim.plotting.trials:plot_trials",
    sweep_figures={"_sweep": "initial_conditions_sweep.rst"},
    figures={"": "initial_conditions.rst"},
)
