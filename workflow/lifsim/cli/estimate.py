"""Rough size, memory and time of a planned job, from its resolved parameters alone (pure Python, no numpy).

Memory is :func:`lifsim.config.resources.job_mem_mb`, what the job asks a cluster for. Time is a rough CPU
estimate for planning, not a promise: a simulation job's process start-up (Python, numpy, netCDF4 and
lifsim: ~0.8 s measured per job, docs/benchmarks.md) plus its integration, costed with the per-step and
per-neuron-step figures that :func:`lifsim.sim.run.choose_kernel` uses to pick a kernel (NumPy loop: 30 us per
step + 5 ns per neuron-step; compiled Euler kernel: 0.7 s to load + 2 ns per neuron-step); ``exact`` costs
about twice Euler's NumPy loop (1-2.5x measured) and the SciPy reference ~0.4 s per neuron-second simulated.
White-noise jobs (params with ``noise``) are costed with :mod:`lifsim.noisy.kernel_choice`'s figures.
"""
from __future__ import annotations

STARTUP_S = 0.8
NUMPY_STEP_S, NUMPY_NEURON_STEP_S = 3e-5, 5e-9
NUMBA_LOAD_S, NUMBA_NEURON_STEP_S = 0.7, 2e-9
EXACT_FACTOR = 2.0
REFERENCE_S_PER_NEURON_SECOND = 0.4


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
    steps = duration / dt
    if integrator == "reference":
        return REFERENCE_S_PER_NEURON_SECOND * n * duration
    numpy_s = steps * (NUMPY_STEP_S + n * NUMPY_NEURON_STEP_S)
    if integrator == "exact":
        return EXACT_FACTOR * numpy_s
    return min(numpy_s, NUMBA_LOAD_S + n * steps * NUMBA_NEURON_STEP_S)


def noise_seconds(n: int, duration: float, dt: float, integrator: str) -> float:
    """A white-noise job (``lifsim.noisy.exact_noise``): the cheaper of its two kernels."""
    from ..noisy.kernel_choice import NUMBA_COST, NUMPY_COST

    steps = duration / dt
    per_step, per_neuron_step = NUMPY_COST[integrator]
    load, compiled = NUMBA_COST[integrator]
    return min(steps * (per_step + n * per_neuron_step), load + n * steps * compiled)


def seconds(params: dict) -> float | None:
    """Rough CPU seconds of one job (start-up included), or None if its parameters name no simulation."""
    sim = simulation(params)
    if sim is None:
        return None
    n, integrator = int(sim["batch"].get("size", 1)), params.get("integrator", sim.get("integrator", "euler"))
    if "noise" in sim and integrator in ("exact", "euler"):
        return STARTUP_S + noise_seconds(n, sim["duration"], sim["dt"], integrator)
    dts = params.get("dts") or [sim["dt"]]   # a convergence job runs the simulation once per dt
    return STARTUP_S + sum(integration_seconds(n, sim["duration"], dt, integrator) for dt in dts)


def human_seconds(s: float | None) -> str:
    if s is None:
        return "?"
    if s < 60:
        return f"{s:.1f} s" if s < 10 else f"{s:.0f} s"
    return f"{s / 60:.1f} min" if s < 3600 else f"{s / 3600:.1f} h"
