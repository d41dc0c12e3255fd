"""Run one job: resolved parameters in, integrator result out."""
from __future__ import annotations

import logging
import os

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


def choose_kernel(name: str, n: int, n_steps: int) -> str:
    """``numpy`` or ``numba``: the compiled kernel only where it pays for its ~0.6 s import and cache load.

    The environment variable ``LIFSIM_KERNEL`` (numpy, numba or auto) overrides the choice.
    """
    forced = os.environ.get("LIFSIM_KERNEL", "auto")
    if forced in ("numpy", "numba"):
        return forced if name == "euler" else "numpy"
    if name != "euler":
        return "numpy"
    numpy_seconds = n_steps * (3e-5 + n * 5e-9)
    numba_seconds = 0.7 + n * n_steps / 5e8
    return "numba" if numba_seconds < numpy_seconds else "numpy"


class Progress:
    """Logs percent done and an estimate of the time left."""

    def __init__(self, where: str):
        import time

        self.where, self.clock, self.start = where, time.perf_counter, time.perf_counter()

    def __call__(self, fraction: float) -> None:
        elapsed = self.clock() - self.start
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else float("nan")
        log.info("%s: %3.0f%% done, %.1f s elapsed, about %.1f s left", self.where, 100 * fraction, elapsed, left)


def simulate(params: dict, threads: int | None = None) -> Result:
    """Simulate the batch of one job (see ``lifsim.config.experiments`` for ``params``)."""
    integrators = _integrators()
    name = params["integrator"]
    if name not in integrators:
        raise ValueError(f"unknown integrator {name!r}; known: {sorted(integrators)}")
    batch = from_params(params)
    where = f"experiment {params['experiment']!r}, condition {params['condition']!r}"
    kernel = choose_kernel(name, batch.n, batch.n_steps)
    try:
        if kernel == "numba":
            from .euler_numba import run_euler_numba
            result = run_euler_numba(batch, spikes=params.get("record_spikes", True), threads=threads,
                                     progress=Progress(where) if batch.n * batch.n_steps > 1e8 else None)
        else:
            result = integrators[name](batch)
    except SimulationError as exc:
        raise SimulationError(f"{where}: {exc}") from None
    log.info("%s: %d neuron(s), %d steps, integrator %s, kernel %s", where, batch.n, batch.n_steps, name, kernel)
    n_runaway = int(np.isfinite(result.runaway_onset).sum())
    if n_runaway:
        first = np.nanmin(result.runaway_onset) * 1e3
        log.warning("%s: %d neuron(s) fired twice within one time step (euler: on consecutive steps) "
                    "(runaway), first at %.4g ms; euler's spike times there are limited by dt. A refractory "
                    "period (t_ref) prevents this.", where, n_runaway, first)
    return result
