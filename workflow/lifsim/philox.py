"""Counter-based random numbers (Philox4x32-10, Salmon et al. 2011), vectorised in NumPy.

A draw is a pure function of (neuron key, step, slot): the 64-bit key names the
neuron (see :func:`lifsim.rng.neuron_keys`: seed, stream and the point's
parameter values plus its index), the counter names the time step and the
slot (which quantity of that step: the Gaussian increment, the bridge test, ...).
Nothing depends on batch size, job split, block length, kernel or thread
count, and a compiled kernel that implements the same integer arithmetic
(32 x 32 -> 64-bit products, xor) reproduces every number bit for bit.

Counter words: (step & 0xffffffff, step >> 32, slot, 0); key words:
(key & 0xffffffff, key >> 32). One call yields four 32-bit words; two words
make one uniform with 53 random bits, so one (key, step, slot) gives two
uniforms in (0, 1) and, by Box-Muller, two standard normals (log and sincos of
:mod:`lifsim.boxmuller`: the same bits from NumPy and from compiled code).
"""
from __future__ import annotations

import numpy as np

from . import boxmuller

MASK32 = np.uint64(0xFFFFFFFF)
PHILOX_M0 = np.uint64(0xD2511F53)
PHILOX_M1 = np.uint64(0xCD9E8D57)
PHILOX_W0 = np.uint64(0x9E3779B9)
PHILOX_W1 = np.uint64(0xBB67AE85)
ROUNDS = 10


def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of the counter words (c0..c3) under the key words (k0, k1).

    All inputs are uint64 arrays (or scalars) holding 32-bit values; they
    broadcast together. Returns the four output words as uint64 arrays.
    """
    c0, c1, c2, c3, k0, k1 = (np.asarray(w, dtype=np.uint64) & MASK32 for w in (c0, c1, c2, c3, k0, k1))
    for r in range(ROUNDS):
        if r:
            k0 = (k0 + PHILOX_W0) & MASK32
            k1 = (k1 + PHILOX_W1) & MASK32
        p0 = PHILOX_M0 * c0          # exact: both factors < 2**32
        p1 = PHILOX_M1 * c2
        c0, c1, c2, c3 = ((p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & MASK32,
                          (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & MASK32)
    return c0, c1, c2, c3


def uniforms(keys, steps, slot: int):
    """Two uniforms in (0, 1) per (key, step): arrays of the broadcast shape of ``keys`` and ``steps``.

    ``keys``: uint64 neuron keys, shape (N,); ``steps``: int step numbers, e.g. shape (K, 1)
    for a block of K steps, giving (K, N) results. 53 random bits each, offset by half a
    unit so that neither 0 nor 1 occurs (log and division are safe).
    """
    keys = np.asarray(keys, dtype=np.uint64)
    steps = np.asarray(steps, dtype=np.uint64)
    w0, w1, w2, w3 = philox4x32(steps & MASK32, steps >> np.uint64(32), np.uint64(slot), np.uint64(0),
                                keys & MASK32, keys >> np.uint64(32))
    scale = 1.0 / 2.0**53
    u = ((w0 << np.uint64(21)) ^ (w1 >> np.uint64(11))).astype(np.float64)
    v = ((w2 << np.uint64(21)) ^ (w3 >> np.uint64(11))).astype(np.float64)
    return (u + 0.5) * scale, (v + 0.5) * scale


def spare_bits(keys, steps, slot: int):
    """The 11 + 11 bits per (key, step) that :func:`uniforms` leaves unused (the low 11 of words 1 and 3),
    as integers 0 .. 2047 (uint64 arrays of the broadcast shape)."""
    keys = np.asarray(keys, dtype=np.uint64)
    steps = np.asarray(steps, dtype=np.uint64)
    _, w1, _, w3 = philox4x32(steps & MASK32, steps >> np.uint64(32), np.uint64(slot), np.uint64(0),
                              keys & MASK32, keys >> np.uint64(32))
    return w1 & np.uint64(0x7FF), w3 & np.uint64(0x7FF)


def normals(keys, steps, slot: int):
    """Two independent standard normals per (key, step): sqrt(-2 log u) (cos, sin)(2 pi v) of :func:`uniforms`."""
    return boxmuller.normals(*uniforms(keys, steps, slot))
