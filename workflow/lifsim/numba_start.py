"""Numba as lifsim starts it. Every lifsim module that compiles imports numba from here, never directly.

On its import (before Numba creates its CPU target, which it does once per process at the first
compilation or cache load, and which fixes the target's CPU features from then on), and in
:func:`start_without_scipy` (called by the modules with compiled entry points, :mod:`lifsim.sim.jit` and
:mod:`lifsim.philox_block`, when they are imported; the NumPy-only modules that import numba for their
compiled twins, :mod:`lifsim.portable` and :mod:`lifsim.boxmuller`, do not pay to start it):

* 512-bit vectors where the host has AVX-512 (``avx512f``). LLVM keeps to 256-bit vectors on these CPUs
  by default (its ``prefer-256-bit`` tuning); the kernels' loops over neurons run ~1.3 times faster
  with 512-bit ones (benchmarks/noise_throughput.py, docs/benchmarks.md). The features are the host's
  as Numba finds them plus ``-prefer-256-bit``. Vector width changes no result bit: no fast-math
  anywhere, so no reassociation, and every fused multiply-add is written out (:func:`lifsim.sim.jit.fma`).
  Not done where the user chose the target (``NUMBA_CPU_NAME`` or ``NUMBA_CPU_FEATURES``, also through
  a ``.numba_config.yaml``), nor where numba was imported before lifsim's first compiled module (a
  program that imports numba first keeps Numba's default in that process). The features are set in
  Numba's config of this process only, not in the environment, so child processes (a cluster job on
  another host) find their own. Numba's on-disk cache keys each entry by CPU name and features, so
  both kinds of entry live side by side and a second process loads what the first compiled.
* No BLAS probe: Numba's first compilation or cache load imports ``numba.np.arraymath``, which probes
  for a BLAS by importing ``scipy.linalg`` (~0.2 s of CPU, a third of what a job pays to use a compiled
  kernel). The kernels use no linear algebra, so when ``scipy.linalg`` is not imported yet that probe
  is made to fail while Numba initialises its CPU target: Numba then leaves ``np.dot`` and
  ``np.linalg`` out of nopython mode in this process. Where ``scipy.linalg`` is imported already,
  nothing changes. (``import numba`` itself imports SciPy's small top-level package.)

:data:`CPU_FEATURES`: the features this module set (None: Numba's own choice).
"""
from __future__ import annotations

import sys

NUMBA_WAS_IMPORTED = "numba" in sys.modules     # before lifsim's first compiled module: Numba's default stays

import numba  # noqa: E402
from numba import prange  # noqa: E402
from numba.core import config, types  # noqa: E402
from numba.core.codegen import get_host_cpu_features  # noqa: E402
from numba.extending import intrinsic, overload  # noqa: E402

__all__ = ["CPU_FEATURES", "intrinsic", "numba", "overload", "prange", "start_without_scipy", "types", "wide_vectors"]

NO_256_BIT_PREFERENCE = "-prefer-256-bit"


def wide_vector_features(host_features: str) -> str | None:
    """The host's features with 512-bit vectors preferred, if it has AVX-512F (else None: nothing to change)."""
    if "+avx512f" not in host_features.split(","):
        return None
    return f"{host_features},{NO_256_BIT_PREFERENCE}"


def choose_cpu_features() -> str | None:
    """Set Numba's CPU features to :func:`wide_vector_features` unless the user or an earlier import decided."""
    if NUMBA_WAS_IMPORTED or config.CPU_NAME is not None or config.CPU_FEATURES is not None:
        return None
    features = wide_vector_features(get_host_cpu_features())
    if features is not None:
        config.CPU_FEATURES = features
    return features


def start_without_scipy() -> None:
    """Initialise Numba's CPU target now, with SciPy's BLAS probe failing if SciPy is not imported yet."""
    from numba.core.registry import cpu_target

    blocked = "scipy.linalg" not in sys.modules
    if blocked:
        sys.modules["scipy.linalg"] = None   # makes ``import scipy.linalg...`` raise ImportError
    try:
        cpu_target.target_context.refresh()
    finally:
        if blocked and sys.modules.get("scipy.linalg", 0) is None:
            del sys.modules["scipy.linalg"]


CPU_FEATURES = choose_cpu_features()


def wide_vectors() -> bool:
    """Whether this process's compiled code may use 512-bit vectors (Numba's CPU target: AVX-512F, no 256-bit preference)."""
    from numba.core.registry import cpu_target

    features = cpu_target.target_context.codegen().magic_tuple()[2].split(",")
    return "+avx512f" in features and NO_256_BIT_PREFERENCE in features
