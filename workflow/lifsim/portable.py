"""log, exp and expm1 as plain float64 arithmetic: the same bits from NumPy and from numba.

NumPy's log/exp and libm's (what numba calls) differ in the last bit now and then. Where a result
must not depend on whether NumPy or a compiled kernel computed it (the noise integrators: a point's
spike train is the same in any batch, by either kernel), both call these functions: the same float64
operations in the same order, once on NumPy arrays (:func:`log`, :func:`exp`, :func:`expm1`) and
once on numba scalars (:func:`log_scalar`, :func:`exp_scalar`, :func:`expm1_scalar`, inlined).
Neither side fuses a multiply and an add, so both give the same bits (tested); all are within a few
ulp of libm (tested).

log x: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f), and
log(1 + f) = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)), R = sum_{k=1..10} 2 s^(2k) / (2k + 1)
(the atanh series; |s| <= 0.172, so the first omitted term is below 2^-54 of the result); e ln 2
is added as a high part with trailing zeros (e * LN2_HI exact) and a low part.
exp x = 2^k (1 + expm1(r)), k = round(x / ln 2), r = x - k ln 2 (in two parts), |r| <= ln 2 / 2,
expm1(r) = r + r^2 (1/2! + r (1/3! + ... + r / 15!)) (Taylor; the first omitted term is below
2^-55 r); expm1 x is that series for |x| < ln 2 / 2 and exp x - 1 beyond.
"""
from __future__ import annotations

import decimal
import math

import numpy as np
from llvmlite import ir

from .numba_start import intrinsic, numba, types


def split_ln2() -> tuple[float, float]:
    """ln 2 = LN2_HI + LN2_LO with LN2_HI's last 24 mantissa bits zero (k * LN2_HI is exact for |k| < 2^24)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        ln2 = decimal.Decimal(2).ln()
        hi = (np.array([float(ln2)]).view(np.uint64) & np.uint64(0xFFFFFFFFFF000000)).view(np.float64)[0]
        return float(hi), float(ln2 - decimal.Decimal(float(hi)))


LN2_HI, LN2_LO = split_ln2()
INV_LN2 = 1.0 / math.log(2.0)
HALF_LN2 = 0.5 * LN2_HI
SQRT2 = math.sqrt(2.0)
TINY = 2.0**-1022                      # the smallest normal number: below it, log scales by 2^54 first
EXP_MIN, EXP_MAX = -708.0, 709.0       # exp is 0 below EXP_MIN (the subnormal range is not resolved), inf above
MANTISSA, ONE_BITS = np.uint64(0x000FFFFFFFFFFFFF), np.uint64(0x3FF0000000000000)
# Horner coefficients, highest power first
L10, L9, L8, L7, L6, L5, L4, L3, L2, L1 = (2.0 / (2 * k + 1) for k in range(10, 0, -1))
E15, E14, E13, E12, E11, E10, E9, E8, E7, E6, E5, E4, E3, E2 = (1.0 / math.factorial(n) for n in range(15, 1, -1))


def log_poly(f, e):
    """log(2^e (1 + f)) from f in [sqrt(1/2) - 1, sqrt(2) - 1] and e as float: arrays or scalars."""
    s = f / (2.0 + f)
    z = s * s
    R = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * (L7 + z * (L8 + z * (L9 + z * L10)))))))))
    hfsq = 0.5 * f * f
    return e * LN2_HI - ((hfsq - (s * (hfsq + R) + e * LN2_LO)) - f)


def expm1_poly(r):
    """expm1(r) for |r| <= ln 2 / 2: arrays or scalars."""
    p = E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * (E7 + r * (E8 + r * (E9 + r * (E10 + r * (
        E11 + r * (E12 + r * (E13 + r * (E14 + r * E15))))))))))))
    return r + r * r * p


def log_positive(x):
    """Natural log of positive normal float64 numbers (array; no checks: the fast path of Box-Muller)."""
    bits = np.asarray(x, dtype=np.float64).view(np.uint64)
    e = (bits >> np.uint64(52)).astype(np.int64) - 1023
    m = ((bits & MANTISSA) | ONE_BITS).view(np.float64)
    big = m > SQRT2
    m = np.where(big, 0.5 * m, m)
    return log_poly(m - 1.0, (e + big).astype(np.float64))


def log(x):
    """Natural log (array), with NumPy's values at 0 (-inf), below 0 and NaN (NaN) and inf (inf)."""
    x = np.asarray(x, dtype=np.float64)
    ok = (x > 0) & np.isfinite(x)
    small = ok & (x < TINY)
    y = np.where(small, np.where(small, x, 1.0) * 2.0**54, np.where(ok, x, 1.0))
    out = log_positive(y) - np.where(small, 54.0 * LN2_HI + 54.0 * LN2_LO, 0.0)
    return np.where(ok, out, np.where(x == 0, -np.inf, np.where(x == np.inf, np.inf, np.nan)))


def exp(x):
    """e^x (array)."""
    x = np.asarray(x, dtype=np.float64)
    xc = np.clip(x, EXP_MIN, EXP_MAX)
    k = np.floor(xc * INV_LN2 + 0.5)
    r = (xc - k * LN2_HI) - k * LN2_LO
    with np.errstate(invalid="ignore"):      # NaN: any scale, the result is NaN
        scale = ((k.astype(np.int64) + 1023).astype(np.uint64) << np.uint64(52)).view(np.float64)
    out = scale * (1.0 + expm1_poly(r))
    return np.where(x < EXP_MIN, 0.0, np.where(x > EXP_MAX, np.inf, out))


def expm1(x):
    """e^x - 1 (array), accurate also for tiny x."""
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < HALF_LN2
    return np.where(small, expm1_poly(np.where(small, x, 0.0)), exp(x) - 1.0)


@intrinsic
def sqrt_nb(typingctx, x):
    """The correctly rounded square root as LLVM's intrinsic (numba's math.sqrt calls libm: no vectorising)."""
    def codegen(context, builder, signature, args):
        return builder.call(builder.module.declare_intrinsic("llvm.sqrt", [ir.DoubleType()]), args)
    return types.float64(types.float64), codegen


log_poly_nb = numba.njit(log_poly, inline="always")
expm1_poly_nb = numba.njit(expm1_poly, inline="always")


@numba.njit(cache=True, nogil=True, inline="always")
def log_positive_scalar(x):
    """:func:`log_positive` of one float64 (numba; vectorises)."""
    bits = np.float64(x).view(np.uint64)
    e = np.int64(bits >> np.uint64(52)) - 1023
    m = np.uint64((bits & MANTISSA) | ONE_BITS).view(np.float64)
    big = m > SQRT2
    m = 0.5 * m if big else m
    return log_poly_nb(m - 1.0, np.float64(e + (1 if big else 0)))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def log_scalar(x):
    """:func:`log` of one float64 (numba)."""
    if not (x > 0 and x < np.inf):
        return -np.inf if x == 0 else (np.inf if x == np.inf else np.nan)
    if x < TINY:
        return log_positive_scalar(x * 2.0**54) - (54.0 * LN2_HI + 54.0 * LN2_LO)
    return log_positive_scalar(x) - 0.0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def exp_scalar(x):
    """:func:`exp` of one float64 (numba)."""
    if x < EXP_MIN:
        return 0.0
    if x > EXP_MAX:
        return np.inf
    k = math.floor(x * INV_LN2 + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO
    scale = np.uint64(np.uint64(np.int64(k) + 1023) << np.uint64(52)).view(np.float64)
    return scale * (1.0 + expm1_poly_nb(r))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def expm1_scalar(x):
    """:func:`expm1` of one float64 (numba)."""
    if abs(x) < HALF_LN2:
        return expm1_poly_nb(x)
    return exp_scalar(x) - 1.0
