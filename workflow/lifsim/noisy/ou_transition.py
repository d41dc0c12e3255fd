"""The exact joint transition of V and an Ornstein-Uhlenbeck current over a step, and the crossing time.

Model (SI units, arrays broadcast), with u = V - mu:
    tau du = (-u + R I) dt,    dI = -I / tau_s dt + std sqrt(2 / tau_s) dW,
so I has stationary mean 0 and standard deviation ``std``, and V is continuously differentiable (no
diffusion of its own). (u, I) is a linear Gaussian system; over a step h, with a = 1/tau, b = 1/tau_s,
alpha = h/tau, beta = h/tau_s and d = alpha - beta:

    I1 = I0 e^-beta + eps_I,     u1 = u0 e^-alpha + R c I0 + eps_u,
    c = alpha (e^-beta - e^-alpha) / d = alpha e^-alpha phi(d),   phi(z) = (e^z - 1) / z,

and (eps_I, eps_u) are zero-mean Gaussians driven by the same Brownian path:
    eps_I = std sqrt(2b) int_0^h e^{-b x} dW,    eps_u = R std sqrt(2b) int_0^h G(x) dW,
    G(x) = a int_0^x e^{-a (x - y) - b y} dy = a (e^{-bx} - e^{-ax}) / (a - b)     (x: time to the step's end),
so, with G~(s) = G(h s) = alpha s e^{-alpha s} phi(d s) on [0, 1] and ex(z) = (1 - e^-z) / z:
    var_I  = std^2 (1 - e^{-2 beta})
    cov_uI = R std^2 2 beta int_0^1 G~(s) e^{-beta s} ds = R std^2 2 beta (alpha/d) [ex(2 beta) - ex(alpha + beta)]
    var_u  = (R std)^2 2 beta int_0^1 G~(s)^2 ds
           = (R std)^2 2 beta (alpha/d)^2 [ex(2 beta) - 2 ex(alpha + beta) + ex(2 alpha)].
The bracketed closed forms are used where |d| >= 0.5 (no cancellation to speak of); closer to tau = tau_s
the integrals are taken by 32-point Gauss-Legendre quadrature of the smooth integrands (exact to rounding
for alpha, beta <= 20), and beyond that by the 1/z parts of ex(z) = 1/z - e^-z/z alone, which combine
without cancellation: both integrals -> alpha / (2 beta (alpha + beta)) (the e^-z parts are < e^-40).
Stationary check: var u -> (R std)^2 tau_s / (tau + tau_s).

Every exp and expm1 here is :mod:`lifsim.portable`'s, the quadrature sums its nodes in order and squares
are written as products, so :mod:`lifsim.noisy.ou_numba_exact` computes the same coefficients, bit for
bit, for one neuron (the compiled kernel's steps cut by a refractory period's end).
"""
from __future__ import annotations

import numpy as np

from .. import portable

CLOSE = 0.5          # |alpha - beta| below which the moments come from quadrature
MAX_RATIO = 20.0     # the quadrature is exact to rounding up to h / tau = 20; beyond, the long-step forms
NODES, WEIGHTS = np.polynomial.legendre.leggauss(32)
S, W = 0.5 * (NODES + 1.0), 0.5 * WEIGHTS


def ex(z):
    """(1 - e^-z) / z, 1 at z = 0."""
    z = np.asarray(z, dtype=np.float64)
    safe = np.where(z == 0.0, 1.0, z)
    return np.where(z == 0.0, 1.0, -portable.expm1(-safe) / safe)


def phi(z):
    """(e^z - 1) / z, 1 at z = 0."""
    z = np.asarray(z, dtype=np.float64)
    safe = np.where(z == 0.0, 1.0, z)
    return np.where(z == 0.0, 1.0, portable.expm1(safe) / safe)


def joint_coefficients(tau, R, std, tau_s, h) -> dict:
    """Per element: decay_u = e^-alpha, decay_I = e^-beta, the mean coefficient R c, and the Cholesky
    factors (L_II, L_uI, L_uu) of the noise covariance: eps_I = L_II z1, eps_u = L_uI z1 + L_uu z2."""
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (tau, R, std, tau_s, h)))
    shape = arrays[0].shape
    tau, R, std, tau_s, h = (a.ravel() for a in arrays)
    alpha, beta = h / tau, h / tau_s
    d = alpha - beta
    close = np.abs(d) < CLOSE
    long = close & (np.minimum(alpha, beta) > MAX_RATIO)   # the e^-z parts of ex() are below e^-40 there
    decay_u, decay_I = portable.exp(-alpha), portable.exp(-beta)
    big = np.abs(d) > 1.0
    c = np.where(big, alpha * (decay_I - decay_u) / np.where(big, d, 1.0), alpha * decay_u * phi(np.where(big, 0.0, d)))
    i_uI, i_uu = np.empty_like(alpha), np.empty_like(alpha)
    far = ~close
    if far.any():
        a, b, q = alpha[far], beta[far], alpha[far] / d[far]
        x2b, xab = ex(2.0 * b), ex(a + b)
        i_uI[far] = q * (x2b - xab)
        i_uu[far] = q * q * (x2b - 2.0 * xab + ex(2.0 * a))
    quad = close & ~long
    if quad.any():
        a, b, dc = alpha[quad][:, None], beta[quad][:, None], d[quad][:, None]
        g = a * S * portable.exp(-a * S) * phi(dc * S)
        # summed node by node in order (accumulate is sequential; the compiled twin adds in the same order)
        i_uI[quad] = np.add.accumulate(W * g * portable.exp(-b * S), axis=1)[:, -1]
        i_uu[quad] = np.add.accumulate(W * g * g, axis=1)[:, -1]
    i_uI[long] = i_uu[long] = alpha[long] / (2.0 * beta[long] * (alpha[long] + beta[long]))
    var_I = std * std * -portable.expm1(-2.0 * beta)
    cov = R * std * std * 2.0 * beta * i_uI
    var_u = (R * std) * (R * std) * 2.0 * beta * np.maximum(i_uu, 0.0)
    L_II = np.sqrt(var_I)
    L_uI = np.divide(cov, L_II, out=np.zeros_like(cov), where=L_II > 0)
    L_uu = np.sqrt(np.maximum(var_u - L_uI * L_uI, 0.0))
    out = {"decay_u": decay_u, "decay_I": decay_I, "Rc": R * c,
           "L_II": L_II, "L_uI": L_uI, "L_uu": L_uu, "var_u": var_u, "cov": cov, "var_I": var_I}
    return {k: v.reshape(shape) for k, v in out.items()}


def current_transition(I, std, tau_s, h):
    """Mean and standard deviation of the OU current after h alone (V held): I e^{-h/tau_s},
    std sqrt(1 - e^{-2h/tau_s}) (lifsim.portable's exp and expm1)."""
    return I * portable.exp(-h / tau_s), std * np.sqrt(-portable.expm1(-2.0 * h / tau_s))


def step(u0, I0, coef: dict, z1, z2):
    """(u1, I1) from (u0, I0) with the coefficients of :func:`joint_coefficients` and two standard normals."""
    I1 = I0 * coef["decay_I"] + coef["L_II"] * z1
    u1 = u0 * coef["decay_u"] + coef["Rc"] * I0 + coef["L_uI"] * z1 + coef["L_uu"] * z2
    return u1, I1


def hermite_crossing(V0, V1, dV0, dV1, theta, h, iterations: int = 24):
    """Offset in [0, h] where the cubic Hermite interpolant of (V0, dV0) -> (V1, dV1) reaches theta.

    Needs V1 >= theta; bisection on the cubic to h 2^-24 (0 where V0 >= theta already). V is continuously
    differentiable, so the interpolant's error, and the spike time's, are O(h^{3/2}) (the slope is an
    integral of the rough current)."""
    m0, m1 = h * dV0, h * dV1                  # p(s) = c0 + c1 s + c2 s^2 + c3 s^3 on s in [0, 1]
    c0, c1 = V0 - theta, m0
    c2 = 3.0 * (V1 - V0) - 2.0 * m0 - m1
    c3 = 2.0 * (V0 - V1) + m0 + m1
    lo, hi = np.zeros_like(h), np.ones_like(h)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        above = ((c3 * mid + c2) * mid + c1) * mid + c0 >= 0.0
        hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)
    return np.where(V0 >= theta, 0.0, hi * h)
