"""The one rule that picks a kernel, NumPy or compiled (numba), for the deterministic and the noise integrators.

NumPy pays Python per step plus its array operations per neuron-step; the compiled kernel pays per
neuron-step plus what this process has not yet paid to start it (import, cache load, or compilation
while its numba cache does not exist). The environment variable ``LIFSIM_KERNEL`` (numpy, numba or auto)
overrides the choice. The callers are :func:`lifsim.sim.run.choose_kernel` (the deterministic integrators,
whose measured cost tables are below, numpy-free, so that ``lifsim check`` can cost a plan with them:
:mod:`lifsim.cli.estimate`) and :func:`lifsim.noisy.kernel_choice.choose` (the noise integrators, with their tables).
"""
from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

# Cost models (s of CPU) of the deterministic integrators' kernels (euler, exact), measured with
# benchmarks/kernel_throughput.py, benchmarks/exact_throughput.py and benchmarks/convergence_cpu.py: NumPy pays
# Python per step plus its array operations per neuron-step; the compiled kernels pay per neuron-step, plus once
# per process importing Numba and starting its compiler target (lifsim.sim.jit), plus loading each kernel's
# cached machine code.
NUMPY_COST = {"euler": (1.2e-5, 1e-8), "exact": (1.5e-5, 2e-8)}     # (s per step, s per neuron-step)
NUMBA_COST = {"euler": 1 / 1e9, "exact": 1 / 4e8}                    # s per neuron-step, one thread
NUMBA_START = 0.26                                                   # import numba + lifsim.sim.jit
NUMBA_LOAD = 0.02                                                    # one kernel's cached code
NUMBA_MODULES = {"euler": "lifsim.sim.euler_numba", "exact": "lifsim.sim.exact_numba"}
# s of CPU to compile a kernel whose numba cache (sim/__pycache__/*.nbi) does not exist yet: the first run
# of a fresh checkout (measured cold, one job: ~3 s euler, ~6.5 s exact; a batch whose neurons differ in
# more than their drive compiles a second variant, jit.shared_or_each)
COMPILE_COST = {"euler": 4.0, "exact": 8.0}


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
