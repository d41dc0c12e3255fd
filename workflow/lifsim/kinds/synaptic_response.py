"""Kind ``synaptic_response``: presynaptic spikes onto a passive neuron (the notebook's exercise 1).

One job per condition (per chunk of the sweep, with a ``sweep:``). The analysis
also reads a passive test-current step per condition: two jobs, ``<cond>-hold``
at the condition's I_e and ``<cond>-step`` at I_e + step, with the same grid of
those swept parameters the passive response depends on. The model is linear
without reset, so the difference of the two is exactly the response to the step.
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from ..config.resolve import quantity
from ..config.sweeps import expand
from .base import Kind

DEFAULT_TEST_STEP = {"amplitude": "-0.1 nA", "duration": "100 ms"}
# the parameters the passive test-step response depends on
PASSIVE = ("E_exc", "E_inh", "E_m", "I_e", "R_m", "g_exc", "g_inh", "tau_m")


def build(name, exp, common, seed, path):
    duration = jobs.duration(exp.get("duration", "200 ms"), join(path, "duration"), common["dt"])
    spikes = jobs.presynaptic_spikes(exp, path, duration)
    grid = jobs.sweep_grid(exp, path)
    conditions = jobs.conditions(name, exp, common, path, grid)
    if grid:
        out = {}
        for cond, neuron in conditions.items():
            out.update(jobs.sweep_jobs(name, exp, common, path, cond, neuron, duration, 1, grid,
                                       presynaptic_spikes=spikes))
        return out
    batch = {"dim": None, "size": 1, "values": None}
    jobs.guard_memory(1, [duration], len(conditions), common, path)
    return {cond: jobs.job(name, exp, common, cond, neuron, duration, batch, presynaptic_spikes=spikes)
            for cond, neuron in conditions.items()}


def step_probe_jobs(name, exp, common, path, built) -> dict:
    spath = join(path, "test_step")
    spec = {**DEFAULT_TEST_STEP, **exp.get("test_step", {})}
    step = quantity(spec["amplitude"], "current", join(spath, "amplitude"))
    if step == 0:
        raise ConfigError(join(spath, "amplitude"), f"expected a non-zero current step, got {spec['amplitude']!r}")
    duration = jobs.duration(spec["duration"], join(spath, "duration"), common["dt"])
    sweep = jobs.sweep_grid(exp, path)
    grid = {k: v for k, v in sweep.items() if k in PASSIVE}
    passive = {**common, "reset": False, "record": ["V"]}
    points = 1
    for spec_ in grid.values():
        points *= len(expand(spec_))
    out = {}
    # the same conditions the build resolved; their dt warnings are already in the plan's list
    conditions = jobs.conditions(name, exp, {**common, "warnings": []}, path, sweep)
    jobs.guard_memory(points, [duration], 2 * len(conditions), passive, spath)
    for cond, neuron in conditions.items():
        for role, shift in (("hold", 0.0), ("step", step)):
            job_grid = dict(grid)
            if "I_e" in job_grid:
                job_grid["I_e"] = {"values": [v + shift for v in expand(grid["I_e"])]}
            params_neuron = {**neuron, "I_e": neuron["I_e"] + shift} if "I_e" in neuron else neuron
            batch = ({"dim": "sweep", "size": points, "per_point": 1} if job_grid
                     else {"dim": None, "size": 1, "values": None})
            marker = {"test_step": step} if shift else {}   # the hold job does not depend on the step's size
            out[f"{cond}-{role}"] = jobs.job(name, exp, passive, f"{cond}:test_step:{role}", params_neuron,
                                             duration, batch, grid=job_grid, **marker)
    return out


KIND = Kind(
    name="synaptic_response",
    description="presynaptic spikes onto a passive neuron: PSPs, synaptic current and charge, R_in and tau_eff",
    keys=("duration", "presynaptic_spikes", "conditions", "test_step", *jobs.SWEEP_KEYS),
    build=build,
    analysis_jobs=step_probe_jobs,
    analyse="lifsim.analysis.synaptic:analyse_synaptic",
    summarise="lifsim.summary.synaptic:summary",
    plot="lifsim.plotting.synaptic:plot_synaptic",
    sweep_figures={"_sweep": "synaptic_response_sweep.rst"},
    figures={"": "synaptic_response.rst", "_test_step": "synaptic_response_test_step.rst"},
    schema={"test_step": {
        "type": "object", "additionalProperties": False,
        "description": "synaptic_response: the test-current step that measures R_in and tau_eff",
        "properties": {"amplitude": {"$ref": "#/definitions/quantity", "description": "the step's current (e.g. -0.1 nA)"},
                       "duration": {"$ref": "#/definitions/quantity",
                                    "description": "how long the step run lasts"}}}},
)
