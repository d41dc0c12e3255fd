"""One neuron's step of the compiled ``exact`` white-noise scheme where it is not the vector loop's: the scalar path
of :mod:`lifsim.noisy.exact_noise_numba` (a step cut by the end of the refractory period, the bridge test, the
spike time), with the reference's arithmetic (:mod:`lifsim.noisy.exact_noise`, :mod:`lifsim.noise`) for one
neuron; and :func:`log_bound`, the vector loop's test of whether a step may need the bridge test's uniform.
Scalars only: no array reference counts per call.
"""
from __future__ import annotations

import math

import numpy as np

from ..numba_start import numba
from ..philox_block import philox_normal_pair, philox_uniform_pair
from ..portable import MANTISSA, ONE_BITS, exp_scalar, expm1_scalar, log_scalar
from . import SLOT_TEST, SLOT_TIME
from .exact_noise import SPARE_VALUES

LN2 = math.log(2.0)


@numba.njit(cache=True, nogil=True, inline="always")
def log_bound(s):
    """A lower bound of log(s / 2048) for the spare bits s (0 .. 2047): s = 2^e m with m in [1, 2), and
    log2 m >= m - 1 (the chord of a concave function), so log(s / 2048) >= (e + m - 1 - 11) ln 2; less 1e-9 for
    the rounding of this bound and of the test's other side (ab times -2 / var, not -2 ab / var). Within
    0.06 of log(s / 2048) (max of log2 m - m + 1 is 0.086), so the vector loop flags few steps the bridge
    test would not draw for. s = 0: -717, below which the reference's exp is 0."""
    bits = np.float64(s).view(np.uint64)
    e = np.int64(bits >> np.uint64(52)) - 1023 - 11
    m = np.uint64((bits & MANTISSA) | ONE_BITS).view(np.float64)
    return (np.float64(e) + (m - 1.0)) * LN2 - 1e-9


@numba.njit(cache=True, nogil=True, error_model="numpy")
def inverse_gaussian(inverse_mean, shape, z, u):
    """``noise.inverse_gaussian`` of one (z, u)."""
    y = z * z
    d = y + math.sqrt(y * y + 4.0 * shape * y * inverse_mean)
    x = 4.0 * shape * y / (d * d)
    if u * (1.0 + x * inverse_mean) <= 1.0:
        return x
    return 1.0 / (inverse_mean * inverse_mean * x)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def crossing_time(V0, V1, theta, tau, h, z, u, variance):
    """``noise.crossing_time`` of one neuron (``variance`` the step's bridge variance)."""
    a = max(theta - V0, 0.0)
    if not a > 0:
        return 0.0
    D = variance / h
    s = inverse_gaussian(abs(theta - V1) / max(a * h, 1e-300), a * a / D, z, u)
    return h if math.isinf(s) else s * h / (h + s)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def deterministic_offset(V0, V1, theta, tau, h):
    """``exact_noise.deterministic_offset`` of one neuron (sigma = 0)."""
    decay = exp_scalar(-h / tau)
    target = (V1 - V0 * decay) / (1.0 - decay)
    t = tau * log_scalar((target - V0) / (target - theta))
    return h if math.isnan(t) else min(max(t, 0.0), h)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def cut_constants(h, tau, sigma):
    """``noise.cut_step_constants`` of one neuron: decay, std and bridge variance of a step of length h."""
    x = h / tau
    d = exp_scalar(-x)
    em = expm1_scalar(-2.0 * x)
    return d, sigma * math.sqrt(-0.5 * em), sigma * sigma * (-em / (2.0 * d))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def release_constants(t_free, dt, tau, sigma):
    """:func:`cut_constants` of the step k with k dt < t_free < (k + 1) dt, in which the refractory period ends
    (as the reference computes it then: h = (k + 1) dt - t_free)."""
    k = math.floor(t_free / dt)
    while (k + 1) * dt <= t_free:
        k += 1
    while k > 0 and k * dt >= t_free:
        k -= 1
    return cut_constants((k + 1) * dt - t_free, tau, sigma)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def special_step(key, k, dt, v, t_free, mu, tau, sigma, theta, decay, std, var, z, spare, stim, has_stim):
    """One neuron's step k as the reference does it (a step cut by the refractory period's end, the bridge
    test, the spike time): returns (V at the step's end, spike time or NaN). Scalars only (no array
    reference counts per call). ``decay``, ``std``, ``var``: the step's constants (of its part after t_free
    if that is cut: :func:`release_constants`); ``stim``: R_in / tau times the stimulus' weighted integral
    from the start."""
    t0, t1 = k * dt, (k + 1) * dt
    start = max(t0, t_free)
    h = t1 - start if start > t0 else dt
    d, s = decay, std
    mean = mu + (v - mu) * d
    if has_stim:
        mean = mean + stim
    v1 = mean + s * z
    ab = max(theta - v, 0.0) * max(theta - v1, 0.0)
    spike = (v1 >= theta) or not ab > 0
    u_low, u_time = 1.0, 1.0
    if not spike:
        x = -2.0 * ab / var
        if x > log_bound(spare):           # else p = e^x < s / 2048 (most cut steps): no exp needed
            p = exp_scalar(x)
            if p > spare / SPARE_VALUES:       # else u_bridge >= s / 2048 >= p: no crossing
                u_low, u_time = philox_uniform_pair(key, np.uint64(k), SLOT_TEST)
                spike = (spare + u_low) / SPARE_VALUES < p
    if not spike:
        return v1, np.nan
    if sigma > 0:
        if u_low == 1.0:                   # not drawn yet (u_low < 1 always)
            u_low, u_time = philox_uniform_pair(key, np.uint64(k), SLOT_TEST)
        offset = crossing_time(v, v1, theta, tau, h, philox_normal_pair(key, np.uint64(k), SLOT_TIME)[0], u_time, var)
    else:
        offset = deterministic_offset(v, mean, theta, tau, h)
    return v1, start + offset
