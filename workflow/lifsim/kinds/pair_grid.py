"""Kind ``pair_grid``: a coupled group over a grid of parameters, one group per point (the synchrony map).

The same jobs as ``coupled_pair`` with a sweep, analysed as a map of phases.
"""
from __future__ import annotations

from ..config import jobs
from ..config.errors import ConfigError, join
from .base import Kind
from .coupled_pair import coupled_jobs


def build(name, exp, common, seed, path):
    if "sweep" not in exp:
        raise ConfigError(join(path, "sweep"), "expected the swept parameters of the map, got nothing "
                          "(it is missing)")
    if isinstance(exp["sweep"], dict) and len(exp["sweep"]) < 2:
        raise ConfigError(join(path, "sweep"), "expected two swept parameters (the axes of the synchrony map), "
                          f"got {sorted(exp['sweep'])!r}")
    coupling = exp.get("coupling")
    if isinstance(coupling, list) and len(coupling) < 2:
        raise ConfigError(join(path, "coupling"), "expected a square matrix of at least 2 neurons (the map is the "
                          f"phase of neuron 1 in neuron 0's cycle), got {coupling!r}")
    return coupled_jobs(name, exp, common, seed, path, "1000 ms")


KIND = Kind(
    name="pair_grid",
    description="a coupled pair over a grid of parameters: the phase of one neuron in the other's cycle",
    keys=("duration", "V_init", "coupling", "conditions", *jobs.SWEEP_KEYS),
    build=build,
    analyse="lifsim.analysis.synchrony:analyse_synchrony",
    plot="lifsim.plotting.synchrony:plot_synchrony",
    figures={"": ""},
)
