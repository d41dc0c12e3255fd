"""Run one job: resolved parameters in, integrator result out."""
from __future__ import annotations

import logging

import numpy as np

from .batch import from_params
from .result import Result, SimulationError

log = logging.getLogger("lifsim.sim")


def _integrators() -> dict:
    from .euler import run_euler
    out = {"euler": run_euler}
    try:
        from .exact import run_exact
        out["exact"] = run_exact
    except ImportError:  # pragma: no cover - exact is part of the package
        pass
    return out


def simulate(params: dict) -> Result:
    """Simulate the batch of one job (see ``lifsim.config.experiments`` for ``params``)."""
    integrators = _integrators()
    name = params["integrator"]
    if name not in integrators:
        raise ValueError(f"unknown integrator {name!r}; known: {sorted(integrators)}")
    batch = from_params(params)
    where = f"experiment {params['experiment']!r}, condition {params['condition']!r}"
    try:
        result = integrators[name](batch)
    except SimulationError as exc:
        raise SimulationError(f"{where}: {exc}") from None
    n_runaway = int(np.isfinite(result.runaway_onset).sum())
    if n_runaway:
        first = np.nanmin(result.runaway_onset) * 1e3
        log.warning("%s: %d neuron(s) fired twice within one time step (euler: on consecutive steps) "
                    "(runaway), first at %.4g ms; euler's spike times there are limited by dt. A refractory "
                    "period (t_ref) prevents this.", where, n_runaway, first)
    return result
