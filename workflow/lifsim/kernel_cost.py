"""The one rule that picks a kernel, NumPy or compiled (numba), for the deterministic and the noise integrators.

NumPy pays Python per step plus its array operations per neuron-step; the compiled kernel pays per
neuron-step plus what this process has not yet paid to start it (import, cache load, or compilation
while its numba cache does not exist). The environment variable ``LIFSIM_KERNEL`` (numpy, numba or auto)
overrides the choice. The callers (:func:`lifsim.sim.run.choose_kernel`, :func:`lifsim.noisy.kernel_choice.choose`)
hold their own measured cost tables.
"""
from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path


def compiled_cache_exists(module: str) -> bool:
    """Whether numba's on-disk cache of ``module``'s functions exists (<its folder>/__pycache__/<name>.*.nbi)."""
    origin = find_spec(module).origin
    return any((Path(origin).parent / "__pycache__").glob(f"{module.rsplit('.', 1)[1]}.*.nbi"))


def cheaper(n: int, n_steps: int, numpy_cost: tuple[float, float], start: float, per_neuron_step: float) -> str:
    """``numpy`` or ``numba`` for ``n`` neurons over ``n_steps`` steps (``LIFSIM_KERNEL`` first).

    ``numpy_cost``: (s per step, s per neuron-step); ``start``: s the compiled kernel still costs to start here.
    """
    forced = os.environ.get("LIFSIM_KERNEL", "auto")
    if forced in ("numpy", "numba"):
        return forced
    per_step, numpy_per_neuron_step = numpy_cost
    numpy_seconds = n_steps * (per_step + n * numpy_per_neuron_step)
    return "numba" if start + n * n_steps * per_neuron_step < numpy_seconds else "numpy"
