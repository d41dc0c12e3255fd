"""F(x) = integral_0^x erfcx(s) ds for x >= 0: a Gauss-Legendre quadrature, and a table of it for many points.

The quadrature (``erfcx_integral_quad``) works in w = log(1 + s), where the integrand erfcx(s) (1 + s) is smooth
and of order one; QUAD_NODES nodes give ~1e-14 relative at any x. It costs QUAD_NODES erfcx calls per point,
which at a million points (a dense noisy f-I sweep, two points per rate) is seconds.

``erfcx_integral`` evaluates the same function from a table: g(w) = F(x) / x, an entire function of
w = log1p(x) that is 1 at w = 0 and decays like w e^{-w} / sqrt(pi), interpolated on pieces of width PIECE in
w by Chebyshev polynomials of degree DEGREE through the quadrature's values at the Chebyshev points. Dividing
by x makes the interpolation error relative, including at x -> 0 where F(x) ~ x. The neglected Chebyshev
coefficients of every piece are below TAIL_BOUND of its g (checked when the table is built), so the table
adds at most that plus the Clenshaw sum's rounding (~DEGREE ulp) to the quadrature's error; points with
w > W_TABLE (x > 4.9e8) use the quadrature itself.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

QUAD_NODES = 96
CHUNK = 1 << 14
PIECE = 0.5      # width of a table piece in w = log1p(x)
DEGREE = 14      # Chebyshev degree per piece
W_TABLE = 20.0   # the table covers 0 <= w <= W_TABLE; beyond it, the quadrature
TAIL_BOUND = 1e-14   # largest relative size of the last two Chebyshev coefficients a built table may have


def erfcx_integral_quad(x):
    """F(x) for x >= 0 (array) by QUAD_NODES-point Gauss-Legendre quadrature in w = log(1 + s), ~1e-14 relative.

    Evaluated in chunks of CHUNK elements (the quadrature holds QUAD_NODES values per element).
    """
    from scipy.special import erfcx

    x = np.asarray(x, dtype=np.float64)
    nodes, weights = np.polynomial.legendre.leggauss(QUAD_NODES)
    out = np.empty(x.shape)
    flat, res = x.reshape(-1), out.reshape(-1)
    for lo in range(0, flat.size, CHUNK):
        half = 0.5 * np.log1p(flat[lo:lo + CHUNK])[:, None]
        s = np.expm1(half * (nodes + 1.0))
        res[lo:lo + CHUNK] = half[:, 0] * np.sum(weights * erfcx(s) * (1.0 + s), axis=-1)
    return out


def chebyshev_points(degree: int = DEGREE) -> np.ndarray:
    """The DEGREE + 1 Chebyshev points of the first kind on [-1, 1], cos(pi (j + 1/2) / (DEGREE + 1))."""
    return np.cos(np.pi * (np.arange(degree + 1) + 0.5) / (degree + 1))


@lru_cache(maxsize=1)
def table() -> np.ndarray:
    """Chebyshev coefficients of g(w) = F(x) / x, one row per piece [k PIECE, (k + 1) PIECE] of w."""
    t = chebyshev_points()
    pieces = int(np.ceil(W_TABLE / PIECE))
    w = PIECE * (np.arange(pieces)[:, None] + 0.5 * (t + 1.0))
    x = np.expm1(w)
    g = erfcx_integral_quad(x) / x
    # the interpolant through the first-kind points, by the discrete cosine sums (exact for degree <= DEGREE)
    j = np.arange(DEGREE + 1)
    cosines = np.cos(np.pi * j[:, None] * (np.arange(DEGREE + 1)[None, :] + 0.5) / (DEGREE + 1))
    coef = g @ cosines.T * (2.0 / (DEGREE + 1))
    coef[:, 0] *= 0.5
    tail = np.abs(coef[:, -2:]).max(axis=1) / np.abs(g).max(axis=1)
    if tail.max() > TAIL_BOUND:   # the table would not reach the quadrature's accuracy
        raise ArithmeticError(f"erfcx_integral table: Chebyshev tail {tail.max():.1e} > {TAIL_BOUND:.0e}")
    coef.setflags(write=False)
    return coef


def erfcx_integral(x):
    """F(x) = integral_0^x erfcx(s) ds for x >= 0 (array), from the table (w <= W_TABLE) or the quadrature."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(x.shape)
    flat, res = x.reshape(-1), out.reshape(-1)
    w = np.log1p(flat)
    inside = w <= W_TABLE
    res[~inside] = erfcx_integral_quad(flat[~inside])
    res[inside] = interpolate(w[inside]) * flat[inside]
    return out


def interpolate(w):
    """g(w) = F(x) / x from the table, for 0 <= w <= W_TABLE (Clenshaw's sum on each point's piece)."""
    coef = table()
    piece = np.minimum((w * (1.0 / PIECE)).astype(np.intp), coef.shape[0] - 1)
    t = (w - piece * PIECE) * (2.0 / PIECE) - 1.0
    two_t = 2.0 * t
    b1 = np.zeros_like(w)
    b2 = np.zeros_like(w)
    for j in range(DEGREE, 0, -1):
        b1, b2 = coef[piece, j] + two_t * b1 - b2, b1
    return coef[piece, 0] + t * b1 - b2
