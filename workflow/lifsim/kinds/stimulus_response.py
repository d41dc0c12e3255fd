"""Kind ``stimulus_response``: V, I and spikes of one neuron under time-varying currents, deterministic.

``stimuli: {name: [component, ...]}`` names the experiment's conditions, each a list of
``lifsim.stimulus`` components added to I_e (``step``, ``pulses``, ``ramp``, ``sine``; see
``lifsim.stimulus_config``). The integrator is ``exact``: the stimulus' exponentially weighted integral
in closed form, spikes from the exact scheme of ``lifsim.noisy.exact_noise`` with sigma = 0.
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from ..stimulus_config import parse_stimulus
from .base import Kind

DEFAULT_STIMULI = {"step": [{"kind": "step", "amplitude": "3 nA", "start": "20 ms", "stop": "120 ms"}]}


def build(name, exp, common, seed, path):
    if common["integrator"] != "exact":
        raise ConfigError(join(path, "integrator"), f"expected exact (stimulus_response integrates the "
                          f"stimulus in closed form), got {common['integrator']!r}")
    duration = jobs.duration(exp.get("duration", "200 ms"), join(path, "duration"), common["dt"])
    neuron = jobs.conditions(name, exp, common, path)["base"]
    if common["reset"] and neuron["t_ref"] < common["dt"]:
        raise ConfigError(join(join(path, "neuron"), "t_ref"), f"expected t_ref >= dt ({common['dt'] * 1e3:g} ms) "
                          f"for the exact scheme (one spike per step at most), got {neuron['t_ref'] * 1e3:g} ms")
    stimuli = exp.get("stimuli", DEFAULT_STIMULI)
    spath = join(path, "stimuli")
    batch = {"dim": None, "size": 1, "values": None}
    out = {}
    for cond in sorted(stimuli):
        components = parse_stimulus(stimuli[cond], duration, join(spath, cond))
        out[cond] = jobs.job(name, exp, {**common, "record": ["V"]}, cond, neuron, duration, batch,
                             stimulus=components)
    return out


KIND = Kind(
    name="stimulus_response",
    description="V, I and spikes of one neuron under step, pulse-train, ramp or sine currents (exact, no noise)",
    keys=("duration", "stimuli"),
    build=build,
    simulate="lifsim.noisy.stimulus_job:simulate_stimulus",
    gather="lifsim.noisy.stimulus_job:gather_stimulus",
    analyse="lifsim.analysis.stimulus_response:analyse_stimulus",
    summarise="lifsim.summary.stimulus_response:summary",
    plot="lifsim.plotting.stimulus_response:plot_stimulus",
    figures={"": "stimulus_response.rst"},
    schema={"stimuli": {
        "type": "object", "minProperties": 1,
        "description": "stimulus_response: conditions by name, each a list of current components "
                       "(step, pulses, ramp, sine) added to I_e",
        "propertyNames": {"pattern": "^[A-Za-z0-9_]{1,64}$"},
        "additionalProperties": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["kind"],
            "properties": {"kind": {"type": "string", "enum": ["step", "pulses", "ramp", "sine"],
                                    "description": "the component's kind"}}}}}},
)
