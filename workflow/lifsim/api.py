"""``lifsim.simulate``: one neuron (or a sweep of them) from a notebook, checked like config.yaml.

Every physical value is a string with its unit (``"10 ms"``, ``"3 nA"``); a bare
number for one is an error that names the unit expected. The call builds a
one-experiment config, checks it with the pipeline's own checks and messages,
and runs its job through the same stage function as ``snakemake``: the result
is the Dataset a pipeline job writes (same layout, units and provenance).
"""
from __future__ import annotations

from .params import NOTEBOOK_NEURON


def simulate(duration: str = "200 ms", dt: str = "0.1 ms", integrator: str = "exact", neuron: dict | None = None,
             presynaptic_spikes: list | tuple = (), record: list | tuple = ("V", "I_m", "I_syn", "g_syn", "x"),
             reset: bool = True, seed: int = 1, sweep: dict | None = None):
    """Simulate one neuron of the notebook's model and return its labelled ``xarray.Dataset``.

    ``neuron`` overrides the notebook's parameters (``lifsim.params.NOTEBOOK_NEURON``), e.g.
    ``{"I_e": "3 nA", "t_ref": "2 ms"}``; ``presynaptic_spikes`` are times at which x jumps by g_star;
    ``record`` names the traces to keep; ``reset`` turns spiking on (V_thr, V_reset, t_ref) or leaves a
    passive membrane; ``sweep`` (as in config.yaml, e.g. ``{"I_e": ["1 nA", "2 nA"]}``) simulates one neuron
    per value, along a dimension of that name. Raises ``lifsim.config.ConfigError`` (one line: the key, what
    was expected, what was given) on a bad value.
    """
    from .study import load

    experiment = {"kind": "synaptic_response", "duration": duration, "reset": reset,
                  "presynaptic_spikes": list(presynaptic_spikes), "record": list(record)}
    if sweep:
        experiment["sweep"] = dict(sweep)
    config = {"seed": seed, "integrator": integrator, "dt": dt, "neuron": {**NOTEBOOK_NEURON, **(neuron or {})},
              "experiments": {"simulation": experiment}}
    sim = load(config)["simulation"]
    (job,) = sim.plan.gathered
    return sim.job(job)
