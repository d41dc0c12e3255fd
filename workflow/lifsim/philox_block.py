"""The compiled twin of :mod:`lifsim.philox`: blocks of (steps x neurons) draws, bit-identical uniforms.

The NumPy functions in lifsim.philox are the specification (checked against the
Random123 known-answer vectors); these numba functions do the same integer
arithmetic per element and are what the integrators call, so the reference
integrator and a compiled kernel that calls :func:`philox_uniform_pair` /
:func:`philox_normal_pair` draw the very same numbers (normals too: Box-Muller's log and
sincos are :mod:`lifsim.boxmuller`'s arithmetic, not libm's).
"""
from __future__ import annotations

import numpy as np

from . import boxmuller
from .numba_start import numba, start_without_scipy

start_without_scipy()     # the compiled draws: every noise integrator's, the NumPy reference's too

M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
MASK = np.uint64(0xFFFFFFFF)
SCALE = 1.0 / 2.0**53
SPARE = np.uint64(0x7FF)


@numba.njit(cache=True, nogil=True, inline="always")
def philox_words(key, step, slot):
    """The four 32-bit output words (as uint64) for (key, step, slot): scalars uint64, uint64, int.

    Only the low 32 bits of each word are the state; the bits above are left to accumulate garbage and
    masked off where they would matter (the multiplications, the output): fewer operations per round.
    """
    c0, c1, c2, c3 = step & MASK, step >> np.uint64(32), np.uint64(slot), np.uint64(0)
    k0, k1 = key & MASK, key >> np.uint64(32)
    for r in range(10):
        if r:
            k0 = k0 + W0
            k1 = k1 + W1
        p0 = M0 * (c0 & MASK)          # both factors < 2^32: the exact 64-bit product (one pmuludq)
        p1 = M1 * (c2 & MASK)
        c0, c1, c2, c3 = (p1 >> np.uint64(32)) ^ c1 ^ k0, p1, (p0 >> np.uint64(32)) ^ c3 ^ k1, p0
    return c0 & MASK, c1 & MASK, c2 & MASK, c3 & MASK


@numba.njit(cache=True, nogil=True, inline="always")
def uniforms_of_words(c0, c1, c2, c3):
    """The two uniforms in (0, 1) of four output words (53 bits each: all of c0 and c2, the top 21 of c1, c3)."""
    u = np.float64((c0 << np.uint64(21)) ^ (c1 >> np.uint64(11)))
    v = np.float64((c2 << np.uint64(21)) ^ (c3 >> np.uint64(11)))
    return (u + 0.5) * SCALE, (v + 0.5) * SCALE


@numba.njit(cache=True, nogil=True, inline="always")
def spare_of_words(c1, c3):
    """The bits the uniforms leave unused: the low 11 of c1 and of c3, as floats 0 .. 2047."""
    return np.float64(c1 & SPARE), np.float64(c3 & SPARE)


@numba.njit(cache=True, nogil=True, inline="always")
def philox_uniform_pair(key, step, slot):
    """Two uniforms in (0, 1) for (key, step, slot): scalars uint64, uint64, int."""
    c0, c1, c2, c3 = philox_words(key, step, slot)
    return uniforms_of_words(c0, c1, c2, c3)


@numba.njit(cache=True, nogil=True, inline="always")
def philox_normal_pair(key, step, slot):
    """Two standard normals for (key, step, slot) by Box-Muller (:func:`lifsim.boxmuller.normal_pair`)."""
    u, v = philox_uniform_pair(key, step, slot)
    return boxmuller.normal_pair(u, v)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def fill(keys, first_step, n_steps, slot, what, out_a, out_b):
    """what: 0 uniforms, 1 normals, 2 the spare bits."""
    for j in range(n_steps):
        step = np.uint64(first_step + j)
        for i in range(keys.size):
            c0, c1, c2, c3 = philox_words(keys[i], step, slot)
            if what == 2:
                a, b = spare_of_words(c1, c3)
            else:
                a, b = uniforms_of_words(c0, c1, c2, c3)
                if what == 1:
                    a, b = boxmuller.normal_pair(a, b)
            out_a[j, i] = a
            out_b[j, i] = b


def block(keys, first_step: int, n_steps: int, slot: int, normal: bool, spare: bool = False):
    """Two (n_steps, N) arrays: the draws of steps first_step .. first_step + n_steps - 1 for every key.

    ``normal``: Box-Muller normals, else uniforms; ``spare``: instead, the 11 + 11 bits that the uniforms
    leave unused (:func:`spare_of_words`; ``lifsim.philox.spare_bits``).
    """
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    a = np.empty((n_steps, keys.size))
    b = np.empty((n_steps, keys.size))
    fill(keys, first_step, n_steps, slot, 2 if spare else int(bool(normal)), a, b)
    return a, b
