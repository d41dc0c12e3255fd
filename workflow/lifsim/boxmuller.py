"""Box-Muller normals with log and sincos written as plain arithmetic: the same bits from NumPy and numba.

Calls of libm's log, cos and sin stop a compiler from vectorising a loop (no vector math library
here), and NumPy's and libm's versions differ in the last bit. Here sqrt(-2 log u) (cos, sin)(2 pi v)
uses :mod:`lifsim.portable`'s log and the sincos below, the same float64 operations in the same order
twice: on NumPy arrays (:func:`sincos_2pi`, :func:`normals`) and on numba scalars
(:func:`sincos_2pi_scalar`, :func:`normal_pair`, inlined so that a kernel's loop over neurons
vectorises). Both give the same bits (tested), within about one ulp of libm (tested).

sincos(2 pi v): q = floor(4 v + 1/2), r = v - q/4 (exact for the uniforms' multiples of 2^-54),
t = 2 pi r in [-pi/4, pi/4], Taylor series of sin t (to t^17) and cos t (to t^18), rotated by the
quadrant q mod 4 (selects, no branches).
"""
from __future__ import annotations

import math

import numpy as np

from .numba_start import numba
from .portable import log_positive, log_positive_scalar, sqrt_nb

TWO_PI = 2.0 * math.pi
# Horner coefficients, highest power first
S8, S7, S6, S5, S4, S3, S2, S1 = ((-1.0) ** k / math.factorial(2 * k + 1) for k in range(8, 0, -1))
C9, C8, C7, C6, C5, C4, C3, C2 = ((-1.0) ** k / math.factorial(2 * k) for k in range(9, 1, -1))


def sin_cos_poly(r):
    """(sin, cos)(2 pi r) for |r| <= 1/8: arrays or scalars."""
    t = r * TWO_PI
    z = t * t
    sin = t + t * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * (S6 + z * (S7 + z * S8)))))))
    cos = 1.0 - (0.5 * z - z * z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * (C6 + z * (C7 + z * (C8 + z * C9))))))))
    return sin, cos


def sincos_2pi(v):
    """(cos, sin)(2 pi v) (arrays), for v in [0, 1]."""
    v = np.asarray(v, dtype=np.float64)
    q = np.floor(4.0 * v + 0.5)
    s, c = sin_cos_poly(v - 0.25 * q)
    n = q.astype(np.int64)
    swap = (n & 1) == 1
    a, b = np.where(swap, s, c), np.where(swap, c, s)
    return np.where(((n + 1) & 2) != 0, -a, a), np.where((n & 2) != 0, -b, b)


def normals(u, v):
    """Two standard normals per pair of uniforms in (0, 1): sqrt(-2 log u) (cos, sin)(2 pi v)."""
    radius = np.sqrt(-2.0 * log_positive(u))
    cos, sin = sincos_2pi(v)
    return radius * cos, radius * sin


sin_cos_poly_nb = numba.njit(sin_cos_poly, inline="always")


@numba.njit(cache=True, nogil=True, inline="always")
def sincos_2pi_scalar(v):
    """:func:`sincos_2pi` of one float64 (numba): (cos, sin)."""
    q = math.floor(4.0 * v + 0.5)
    s, c = sin_cos_poly_nb(v - 0.25 * q)
    n = np.int64(q)
    swap = (n & 1) == 1
    a = s if swap else c
    b = c if swap else s
    return (-a if ((n + 1) & 2) != 0 else a), (-b if (n & 2) != 0 else b)


@numba.njit(cache=True, nogil=True, inline="always")
def normal_pair(u, v):
    """:func:`normals` of one pair of uniforms (numba)."""
    radius = sqrt_nb(-2.0 * log_positive_scalar(u))
    cos, sin = sincos_2pi_scalar(v)
    return radius * cos, radius * sin
