"""Exact transitions and crossing tests for white and coloured noise (pure functions of arrays, SI units).

Convention (Brunel): tau dV = -(V - mu) dt + sigma sqrt(tau) dW, so V is an
Ornstein-Uhlenbeck process with diffusion coefficient D = sigma^2 / tau and,
without a threshold, stationary standard deviation sigma / sqrt(2). With
constant conductances pass the effective tau and sigma_eff of
:func:`lifsim.analysis.siegert.brunel_parameters` (D is then unchanged).

Bridge crossing. Between two grid values V0, V1 < theta the path may still have
crossed theta. U(t) = (V(t) - mu) e^{t/tau} is a martingale with quadratic
variation c(h) = (sigma^2 / 2)(e^{2h/tau} - 1); in that clock V >= theta means U
above the boundary (theta - mu) e^{t/tau}. Replacing this boundary over one step by
its chord (exact as h/tau -> 0; the curvature error is O((h/tau)^2)) gives the
Brownian-bridge formula for a linear boundary:

    P(cross | V0, V1) = exp(-2 (theta - V0)(theta - V1) / (sigma^2 sinh(h / tau))),

which agrees with the standard exp(-2 (theta - V0)(theta - V1) / (sigma^2 h / tau))
(drift-free Brownian bridge with D = sigma^2/tau) to O((h/tau)^3); for pure Brownian
motion (tau -> infinity) both are exact. We use the sinh form (`bridge_variance`).

Crossing time. For a Brownian bridge from 0 to x over [0, h] with variance rate D,
u = t h / (h - t) maps first passage of level a = theta - V0 to first passage of
a Wiener process across the line a + (a - x) u / h, i.e. (given that it happens)
an inverse Gaussian time with mean a h / |theta - V1| and shape a^2 / D; then
t = u h / (h + u). This covers V1 >= theta as well (the crossing is then certain).
"""
from __future__ import annotations

import numpy as np

from . import portable


def ou_transition(V, mu, tau, sigma, h):
    """Mean and standard deviation of V(t + h) given V(t) = V (exact for constant mu, tau, sigma)."""
    decay, std = transition_constants(tau, sigma, h)
    return mu + (V - mu) * decay, std


def transition_constants(tau, sigma, h):
    """e^{-h/tau} and the transition's standard deviation over a step of length h."""
    return np.exp(-h / tau), sigma * np.sqrt(-0.5 * np.expm1(-2.0 * h / tau))


def step_constants(tau, sigma, h):
    """e^{-h/tau}, the transition's standard deviation and the bridge variance (:func:`bridge_variance`) of a
    step of length h: the integrators compute them once for the full step h = dt."""
    return (*transition_constants(tau, sigma, h), bridge_variance(sigma, tau, h))


def cut_step_constants(tau, sigma, h):
    """:func:`step_constants` of a step cut short (h < dt), from :mod:`lifsim.portable`'s exp and expm1 so that
    the compiled kernels compute the same bits: with x = h / tau, e^{-x}, sigma sqrt(-expm1(-2x) / 2) and
    sigma^2 sinh(x), sinh(x) = -expm1(-2x) / (2 e^{-x})."""
    x = h / tau
    decay = portable.exp(-x)
    em = portable.expm1(-2.0 * x)
    return decay, sigma * np.sqrt(-0.5 * em), sigma * sigma * (-em / (2.0 * decay))


def bridge_variance(sigma, tau, h):
    """The variance of the bridge over a step of length h in the crossing formula: sigma^2 sinh(h / tau)."""
    return sigma * sigma * np.sinh(h / tau)


def bridge_crossing_probability(V0, V1, theta, sigma, tau, h, variance=None):
    """P(the path crossed theta inside the step | V0, V1); 1 where V0 or V1 >= theta.

    ``variance``: :func:`bridge_variance` of (sigma, tau, h) when the caller has it already. The exp is
    :func:`lifsim.portable.exp` (the compiled kernels take the same decisions).
    """
    a = np.maximum(theta - V0, 0.0)
    b = np.maximum(theta - V1, 0.0)
    ab = a * b
    variance = bridge_variance(sigma, tau, h) if variance is None else variance
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ab > 0, portable.exp(-2.0 * ab / variance), 1.0)


def inverse_gaussian(inverse_mean, shape, z, u):
    """Inverse Gaussian draws (Michael, Schucany & Haas 1976) from one normal z and one uniform u each.

    Takes 1/mean (0 allowed: the Levy limit) and is written without cancellation:
    x = 4 lam y / (y + sqrt(y^2 + 4 lam y / m))^2 with y = z^2 and m the mean.
    """
    y = z * z
    d = y + np.sqrt(y * y + 4.0 * shape * y * inverse_mean)
    x = 4.0 * shape * y / (d * d)
    accept = u * (1.0 + x * inverse_mean) <= 1.0
    with np.errstate(divide="ignore"):
        return np.where(accept, x, 1.0 / (inverse_mean * inverse_mean * x))


def crossing_time(V0, V1, theta, sigma, tau, h, z, u, variance=None):
    """Time after the step's start at which the path first crossed theta (given that it did), in (0, h].

    ``z`` a standard normal and ``u`` a uniform per element (from the neuron's stream); ``variance`` as in
    :func:`bridge_crossing_probability`.
    """
    a = np.maximum(theta - V0, 0.0)
    D = (bridge_variance(sigma, tau, h) if variance is None else variance) / h
    inverse_mean = np.abs(theta - V1) / np.maximum(a * h, 1e-300)
    s = inverse_gaussian(inverse_mean, a * a / D, z, u)
    with np.errstate(invalid="ignore"):
        t = np.where(np.isinf(s), h, s * h / (h + s))
    return np.where(a > 0, t, 0.0)


def ou_current_transition(I, std, tau, h):
    """Mean and standard deviation of an OU current (stationary std ``std``, time constant tau) after h."""
    decay = np.exp(-h / tau)
    return I * decay, std * np.sqrt(-np.expm1(-2.0 * h / tau))


def poisson_counts(expected, u):
    """Poisson(expected) counts by inversion of one uniform each (exact; arrays broadcast)."""
    expected, u = np.broadcast_arrays(np.asarray(expected, dtype=np.float64), np.asarray(u, dtype=np.float64))
    term = np.exp(-expected)
    cdf = term.copy()
    count = np.zeros(expected.shape, dtype=np.int64)
    k = 0
    while True:
        below = (u > cdf) & (term > 0)
        if not below.any():
            return count
        k += 1
        count += below
        term = term * expected / k
        cdf = cdf + term
