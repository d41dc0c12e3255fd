"""Rough size, memory and time of a planned job, from its resolved parameters alone (pure Python, no numpy).

Memory is :func:`lifsim.config.resources.job_mem_mb`, what the job asks a cluster for. Time is a rough CPU
estimate for planning, not a promise: a job's process start-up (Python, numpy, netCDF4 and lifsim: ~0.2 s of
CPU per simulation job, measured by process accounting of a default run) plus its integration, costed with the
very tables the kernel choosers use (the cheaper of the NumPy loop and the compiled kernel, its start included):
:mod:`lifsim.kernel_cost` for ``euler`` and ``exact``, :mod:`lifsim.noisy.kernel_choice` for white noise and the
Ornstein-Uhlenbeck current. The SciPy reference costs ~0.4 s per neuron-second simulated plus importing SciPy.
"""
from __future__ import annotations

STARTUP_S = 0.2
REFERENCE_S_PER_NEURON_SECOND, SCIPY_IMPORT_S = 0.4, 0.6


def simulation(params: dict) -> dict | None:
    """The one simulation a job runs (the finest-dt one for a convergence job), or None if it names none."""
    inner = params.get("job", params)
    if isinstance(inner, dict) and all(k in inner for k in ("batch", "duration", "dt")):
        return inner
    return None


def neurons(params: dict) -> int:
    sim = simulation(params)
    return int(sim["batch"].get("size", 1)) if sim else 0


def grid_sizes(params: dict) -> dict[str, int]:
    """``{swept parameter: number of values}`` of the whole sweep a job belongs to (not just its slice)."""
    sim = simulation(params) or {}
    out = {}
    for name, spec in (sim.get("grid") or {}).items():
        if "range" in spec:
            out[name] = int(spec["range"][2])
        elif "values" in spec:
            out[name] = len(spec["values"])
    return out


def memory_mb(params: dict) -> int | None:
    from ..config.resources import job_mem_mb

    sim = simulation(params)
    try:
        return job_mem_mb(sim) if sim else None
    except (KeyError, TypeError, ValueError):
        return None


def integration_seconds(n: int, duration: float, dt: float, integrator: str) -> float:
    """A deterministic simulation (or the SciPy reference): the cheaper of its two kernels, as chosen in a job."""
    from ..kernel_cost import NUMBA_COST, NUMBA_LOAD, NUMBA_START, NUMPY_COST

    if integrator == "reference":
        return SCIPY_IMPORT_S + REFERENCE_S_PER_NEURON_SECOND * n * duration
    steps = duration / dt
    per_step, per_neuron_step = NUMPY_COST[integrator]
    numpy_s = steps * (per_step + n * per_neuron_step)
    return min(numpy_s, NUMBA_START + NUMBA_LOAD + n * steps * NUMBA_COST[integrator])


def noise_seconds(n: int, duration: float, dt: float, integrator: str, coloured: bool = False) -> float:
    """A noise job (``lifsim.noisy.exact_noise``, or ``ou_current`` when ``coloured``): the cheaper of its kernels."""
    from ..noisy.kernel_choice import NUMBA_COST, NUMPY_COST

    method = f"ou_{integrator}" if coloured else integrator
    steps = duration / dt
    per_step, per_neuron_step = NUMPY_COST[method]
    load, compiled = NUMBA_COST[method]
    return min(steps * (per_step + n * per_neuron_step), load + n * steps * compiled)


def seconds(params: dict) -> float | None:
    """Rough CPU seconds of one job (start-up included), or None if its parameters name no simulation."""
    sim = simulation(params)
    if sim is None:
        return None
    n, integrator = int(sim["batch"].get("size", 1)), params.get("integrator", sim.get("integrator", "euler"))
    if "noise" in sim and integrator in ("exact", "euler"):
        from ..config.noise import COLOURED, noise_dims

        coloured = noise_dims(sim["noise"], sim.get("grid") or {}) == COLOURED
        return STARTUP_S + noise_seconds(n, sim["duration"], sim["dt"], integrator, coloured)
    dts = params.get("dts") or [sim["dt"]]   # a convergence job runs the simulation once per dt
    return STARTUP_S + sum(integration_seconds(n, sim["duration"], dt, integrator) for dt in dts)


def human_seconds(s: float | None) -> str:
    if s is None:
        return "?"
    if s < 60:
        return f"{s:.1f} s" if s < 10 else f"{s:.0f} s"
    return f"{s / 60:.1f} min" if s < 3600 else f"{s / 3600:.1f} h"
