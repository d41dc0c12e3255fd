"""Simulations that only the analysis reads: they are not part of an experiment's dataset.

- ``synaptic_response``: per condition, a passive test-current step (an
  electrophysiologist's input-resistance probe). Two neurons with the
  condition's parameters and no presynaptic spike: neuron 0 at the condition's
  I_e, neuron 1 at I_e + step. The model is linear without reset, so their
  difference is exactly the response to the step, whatever the start.
- ``coupled_pair``: per condition, the same pair run for ``analysis_duration``
  (spikes only), long enough to decide whether it locks or runs away.

Each is one job per condition, so a change to one condition reruns only its jobs.
"""
from __future__ import annotations

from .errors import ConfigError, join
from .experiments import _conditions, _duration, _job
from .resolve import quantity

DEFAULT_TEST_STEP = {"amplitude": "-0.1 nA", "duration": "100 ms"}
DEFAULT_ANALYSIS_DURATION = "1000 ms"

# Keys of an experiment that only some kinds use.
KIND_ONLY_KEYS = {"test_step": ("synaptic_response",), "analysis_duration": ("coupled_pair",)}


def check_kind_only_keys(exp: dict, path: str) -> None:
    for key, kinds in KIND_ONLY_KEYS.items():
        if key in exp and exp["kind"] not in kinds:
            raise ConfigError(join(path, key), f"expected no {key!r} in a {exp['kind']} experiment "
                              f"(only {', '.join(kinds)} use it), got {exp[key]!r}")


def no_jobs(name, exp, common, path, jobs) -> dict:
    return {}


def step_probe_jobs(name, exp, common, path, jobs) -> dict:
    spath = join(path, "test_step")
    spec = {**DEFAULT_TEST_STEP, **exp.get("test_step", {})}
    step = quantity(spec["amplitude"], "current", join(spath, "amplitude"))
    if step == 0:
        raise ConfigError(join(spath, "amplitude"), f"expected a non-zero current step, got {spec['amplitude']!r}")
    duration = _duration(spec["duration"], join(spath, "duration"), common["dt"])
    passive = {**common, "reset": False, "record": ["V"]}
    out = {}
    for cond, neuron in _conditions(name, exp, common, path).items():
        currents = [neuron["I_e"], neuron["I_e"] + step]   # in this order: holding, then holding + step
        batch = {"dim": "sweep", "size": 2, "per_point": 1}
        out[cond] = _job(name, exp, passive, f"{cond}:test_step", neuron, duration, batch,
                         grid={"I_e": {"values": currents}})
    return out


def long_pair_jobs(name, exp, common, path, jobs) -> dict:
    duration = _duration(exp.get("analysis_duration", DEFAULT_ANALYSIS_DURATION), join(path, "analysis_duration"),
                         common["dt"])
    return {cond: {**params, "condition": f"{cond}:long", "duration": duration, "record": []}
            for cond, params in jobs.items()}


ANALYSIS_JOB_BUILDERS = {"synaptic_response": step_probe_jobs, "coupled_pair": long_pair_jobs}
