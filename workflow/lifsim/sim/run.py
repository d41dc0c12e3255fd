"""Run one job: resolved parameters in, integrator result out."""
from __future__ import annotations

import logging
import sys

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
    """``numpy`` or ``numba``: the compiled kernel only where it pays for starting Numba and loading its
    cached code (and its compilation, when its cache does not exist yet).

    ``n_steps`` is the work the caller will do with this kernel (all the runs of a job). What this process
    has started or loaded already costs nothing more. The environment variable ``LIFSIM_KERNEL`` (numpy,
    numba or auto) overrides the choice.
    """
    from ..kernel_cost import (
        COMPILE_COST,
        NUMBA_COST,
        NUMBA_LOAD,
        NUMBA_MODULES,
        NUMBA_START,
        NUMPY_COST,
        cheaper,
        compiled_cache_exists,
    )

    if name not in NUMBA_COST:
        return "numpy"
    start = 0.0 if "lifsim.sim.jit" in sys.modules else NUMBA_START
    if NUMBA_MODULES[name] not in sys.modules:
        start += NUMBA_LOAD if compiled_cache_exists(NUMBA_MODULES[name]) else COMPILE_COST[name]
    return cheaper(n, n_steps, NUMPY_COST[name], start, NUMBA_COST[name])


def run_kernel(name: str, kernel: str, batch, params: dict, threads: int | None, progress) -> Result:
    """Run integrator ``name`` with ``kernel``; ``Result.info`` records the kernel and its threads."""
    if kernel == "numba" and name == "euler":
        from .euler_numba import run_euler_numba
        return run_euler_numba(batch, spikes=params.get("record_spikes", True), threads=threads, progress=progress)
    if kernel == "numba":
        from .exact_numba import run_exact_numba
        return run_exact_numba(batch, spikes=params.get("record_spikes", True), threads=threads)
    return _integrators()[name](batch)


class Progress:
    """Logs percent done and an estimate of the time left."""

    def __init__(self, where: str):
        import time

        self.where, self.clock, self.start = where, time.perf_counter, time.perf_counter()

    def __call__(self, fraction: float) -> None:
        elapsed = self.clock() - self.start
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else float("nan")
        log.info("%s: %3.0f%% done, %.1f s elapsed, about %.1f s left", self.where, 100 * fraction, elapsed, left)


def simulate(params: dict, threads: int | None = None, kernel: str | None = None) -> Result:
    """Simulate the batch of one job (see ``lifsim.config.experiments`` for ``params``).

    ``kernel`` (numpy or numba) skips :func:`choose_kernel`, for callers that run many jobs.
    """
    integrators = _integrators()
    name = params["integrator"]
    if name not in integrators:
        raise ValueError(f"unknown integrator {name!r}; known: {sorted(integrators)}")
    batch = from_params(params)
    where = f"experiment {params['experiment']!r}, condition {params['condition']!r}"
    kernel = kernel or choose_kernel(name, batch.n, batch.n_steps)
    progress = Progress(where) if batch.n * batch.n_steps > 1e8 else None
    try:
        result = run_kernel(name, kernel, batch, params, threads, progress)
    except SimulationError as exc:
        raise SimulationError(f"{where}: {exc}") from None
    log.info("%s: %d neuron(s), %d steps, integrator %s, kernel %s, %d thread(s)", where, batch.n, batch.n_steps,
             name, kernel, result.info["threads"])
    n_runaway = int(np.isfinite(result.runaway_onset).sum())
    if n_runaway:
        first = np.nanmin(result.runaway_onset) * 1e3
        log.warning("%s: %d neuron(s) fired twice within one time step (euler: on consecutive steps) "
                    "(runaway), first at %.4g ms; euler's spike times there are limited by dt. A refractory "
                    "period (t_ref) prevents this.", where, n_runaway, first)
    return result
