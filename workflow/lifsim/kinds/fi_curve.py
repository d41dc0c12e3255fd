"""Kind ``fi_curve``: one neuron per point of a sweep (of I_e by default), one job set per duration."""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from ..config.resolve import time_label
from ..config.sweeps import parse_sweep
from .base import Kind

DEFAULT_SWEEP = {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 250}}


def build(name, exp, common, seed, path):
    grid = parse_sweep(exp.get("sweep", DEFAULT_SWEEP), join(path, "sweep"))
    neuron = jobs.conditions(name, exp, common, path, grid)["base"]
    v_init = jobs.v_init_per_point(exp.get("V_init", {"uniform": ["-85 mV", "-75 mV"]}), 1, seed, name,
                                   join(path, "V_init"))
    dpath = join(path, "durations")
    durations = [jobs.duration(raw, join(dpath, i), common["dt"])
                 for i, raw in enumerate(exp.get("durations", ["500 ms"]))]
    if len(set(durations)) != len(durations):
        raise ConfigError(dpath, f"expected distinct durations, got {exp['durations']!r}, which repeats a value")
    out = {}
    for d in sorted(durations):
        out.update(jobs.sweep_jobs(name, exp, common, path, f"duration-{time_label(d)}", neuron, d, 1, grid,
                                   V_init=v_init))
    return out


KIND = Kind(
    name="fi_curve",
    description="firing rate against injected current (or any swept parameter), per simulated duration",
    keys=("durations", "sweep", "V_init", "max_points_per_job", "record_spikes"),
    build=build,
    analyse="lifsim.analysis.fi:analyse_fi",
    summarise="lifsim.summary.fi:summary",
    plot="lifsim.plotting.fi:plot_fi",
    figures={"": "fi_curve.rst", "_error": "fi_curve_error.rst"},
    gather="lifsim.gather:gather_by_duration",
    schema={"durations": {"$ref": "#/definitions/quantity_list", "minItems": 1,
                          "description": "fi_curve: the simulated durations, one job set each"}},
)
