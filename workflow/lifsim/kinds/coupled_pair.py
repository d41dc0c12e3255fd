"""Kind ``coupled_pair``: N coupled neurons (two by default; any square coupling matrix).

One job per condition (per chunk of the sweep, with a ``sweep:``: one group of
N neurons per point). The analysis also reads each condition run for
``analysis_duration`` (spikes only), long enough to decide whether the
neurons lock or run away.
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import join
from ..config.resolve import draw_spec
from .base import Kind

DEFAULT_ANALYSIS_DURATION = "1000 ms"
DEFAULT_V_INIT = ["-60 mV", "-70 mV"]


def coupled_jobs(name, exp, common, seed, path, default_duration):
    """Jobs of N coupled neurons per condition; with a sweep, one group of N per grid point."""
    duration = jobs.duration(exp.get("duration", default_duration), join(path, "duration"), common["dt"])
    matrix, weighted = jobs.coupling(exp, join(path, "coupling"))
    n = len(matrix)
    grid = jobs.sweep_grid(exp, path)
    conditions = jobs.conditions(name, exp, common, path, grid)
    extra = {"coupling": matrix, **({"coupling_weights": True} if weighted else {})}
    out = {}
    if grid:
        v_init = jobs.v_init_per_point(exp.get("V_init", DEFAULT_V_INIT), n, seed, name, join(path, "V_init"))
        for cond, neuron in conditions.items():
            out.update(jobs.sweep_jobs(name, exp, common, path, cond, neuron, duration, n, grid,
                                       V_init=v_init, **extra))
        return out
    jobs.guard_memory(n, [duration], len(conditions), common, path)
    batch = {"dim": "neuron", "size": n, "values": list(range(n))}
    for cond, neuron in conditions.items():
        v_init = draw_spec(exp.get("V_init", DEFAULT_V_INIT), n, seed, f"{name}/{cond}", join(path, "V_init"))
        out[cond] = jobs.job(name, exp, common, cond, neuron, duration, batch, V_init=v_init, **extra)
    return out


def build(name, exp, common, seed, path):
    return coupled_jobs(name, exp, common, seed, path, "50 ms")


def long_runs(name, exp, common, path, built) -> dict:
    """Each job again for ``analysis_duration``, spikes only (same names: one file per job)."""
    duration = jobs.duration(exp.get("analysis_duration", DEFAULT_ANALYSIS_DURATION),
                             join(path, "analysis_duration"), common["dt"])
    return {job: {**params, "condition": f"{params['condition']}:long", "duration": duration, "record": []}
            for job, params in built.items()}


KIND = Kind(
    name="coupled_pair",
    description="N mutually coupled neurons: spike trains, lags to neuron 0, locking and runaway",
    keys=("duration", "V_init", "coupling", "conditions", "analysis_duration", *jobs.SWEEP_KEYS),
    build=build,
    analysis_jobs=long_runs,
    analyse="lifsim.analysis.pair:analyse_pair",
    summarise="lifsim.summary.pair:summary",
    plot="lifsim.plotting.pair:plot_pair",
    sweep_figures={"_sweep": "coupled_pair_sweep.rst"},
    figures={"": "coupled_pair.rst", "_variants": "coupled_pair_variants.rst", "_lag": "coupled_pair_lag.rst",
             "_isi": "coupled_pair_isi.rst"},
    analysis_options=("lock_tolerance", "runaway_isi"),
    schema={"analysis_duration": {"$ref": "#/definitions/quantity",
                                  "description": "duration of the longer runs the analysis reads, e.g. '1000 ms'"}},
)
