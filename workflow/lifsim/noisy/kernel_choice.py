"""Which white-noise kernel runs a job: NumPy (the reference) or compiled, whichever costs less.

The rule of :mod:`lifsim.kernel_cost` (as for the deterministic kernels): the compiled kernel pays its import and cache load
(and its compilation while its numba cache does not exist yet) once per process, NumPy pays Python
per step; the environment variable ``LIFSIM_KERNEL`` (numpy, numba or auto) overrides the choice.
Both kernels give the same spikes (see :mod:`lifsim.noisy.exact_noise`), so the choice is speed only.
"""
from __future__ import annotations

import sys

# Cost models (s), measured with benchmarks/noise_throughput.py (one core): NumPy per step and per
# neuron-step; compiled: import + cache load, and per neuron-step.
NUMPY_COST = {"exact": (1e-4, 8.5e-8), "euler": (7e-6, 1.4e-8)}
NUMBA_COST = {"exact": (0.3, 1 / 2.2e8), "euler": (0.3, 1 / 2.3e8)}   # 512-bit vectors (lifsim.numba_start)
MODULES = {"exact": "lifsim.noisy.exact_noise_numba", "euler": "lifsim.noisy.euler_noise_numba"}
COMPILE_COST = {"exact": 11.0, "euler": 5.0}     # s of CPU to compile when no numba cache exists (measured 10.7, 5.0)


def choose(method: str, n: int, n_steps: int) -> str:
    """``numpy`` or ``numba`` for ``n`` neurons and ``n_steps`` steps of ``method`` (exact or euler)."""
    from ..kernel_cost import cheaper, compiled_cache_exists

    load, compiled = NUMBA_COST[method]
    if MODULES[method] in sys.modules:
        load = 0.0
    elif not compiled_cache_exists(MODULES[method]):
        load += COMPILE_COST[method]
    return cheaper(n, n_steps, NUMPY_COST[method], load, compiled)

# The Ornstein-Uhlenbeck current's kernels (lifsim.noisy.ou_current; compiled: ou_numba_exact, ou_numba), measured
# with benchmarks/ou_throughput.py (one core, load 2); compiling measured 5.1 s (exact) and 1.8 s (euler)
NUMPY_COST.update({"ou_exact": (4.3e-4, 1.26e-7), "ou_euler": (9e-6, 1.6e-8)})
NUMBA_COST.update({"ou_exact": (0.5, 1 / 5.5e7), "ou_euler": (0.5, 1 / 1.05e8)})
MODULES.update({"ou_exact": "lifsim.noisy.ou_numba_exact", "ou_euler": "lifsim.noisy.ou_numba"})
COMPILE_COST.update({"ou_exact": 6.0, "ou_euler": 2.5})
