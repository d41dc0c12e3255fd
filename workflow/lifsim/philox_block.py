"""The compiled twin of :mod:`lifsim.philox`: blocks of (steps x neurons) draws, bit-identical uniforms.

The NumPy functions in lifsim.philox are the specification (checked against the
Random123 known-answer vectors); these numba functions do the same integer
arithmetic per element and are what the integrators call, so the reference
integrator and a compiled kernel that calls :func:`philox_uniform_pair` /
:func:`philox_normal_pair` draw the very same numbers.
"""
from __future__ import annotations

import math

import numba
import numpy as np

M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
MASK = np.uint64(0xFFFFFFFF)
SCALE = 1.0 / 2.0**53


@numba.njit(cache=True, nogil=True, inline="always")
def philox_uniform_pair(key, step, slot):
    """Two uniforms in (0, 1) for (key, step, slot): scalars uint64, uint64, int."""
    c0, c1, c2, c3 = step & MASK, step >> np.uint64(32), np.uint64(slot), np.uint64(0)
    k0, k1 = key & MASK, key >> np.uint64(32)
    for r in range(10):
        if r:
            k0 = (k0 + W0) & MASK
            k1 = (k1 + W1) & MASK
        p0 = M0 * c0
        p1 = M1 * c2
        c0, c1, c2, c3 = (p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & MASK, (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & MASK
    u = np.float64((c0 << np.uint64(21)) ^ (c1 >> np.uint64(11)))
    v = np.float64((c2 << np.uint64(21)) ^ (c3 >> np.uint64(11)))
    return (u + 0.5) * SCALE, (v + 0.5) * SCALE


@numba.njit(cache=True, nogil=True, inline="always")
def philox_normal_pair(key, step, slot):
    """Two standard normals for (key, step, slot) by Box-Muller."""
    u, v = philox_uniform_pair(key, step, slot)
    r = math.sqrt(-2.0 * math.log(u))
    return r * math.cos(2.0 * math.pi * v), r * math.sin(2.0 * math.pi * v)


@numba.njit(cache=True, nogil=True)
def fill(keys, first_step, n_steps, slot, normal, out_a, out_b):
    for j in range(n_steps):
        step = np.uint64(first_step + j)
        for i in range(keys.size):
            if normal:
                a, b = philox_normal_pair(keys[i], step, slot)
            else:
                a, b = philox_uniform_pair(keys[i], step, slot)
            out_a[j, i] = a
            out_b[j, i] = b


def block(keys, first_step: int, n_steps: int, slot: int, normal: bool):
    """Two (n_steps, N) arrays: the draws of steps first_step .. first_step + n_steps - 1 for every key."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    a = np.empty((n_steps, keys.size))
    b = np.empty((n_steps, keys.size))
    fill(keys, first_step, n_steps, slot, normal, a, b)
    return a, b
