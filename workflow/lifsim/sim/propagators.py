"""Closed-form pieces of the ``exact`` integrator, vectorised over neurons (SI units).

The equations are those of :mod:`lifsim.model`; this module gives them the
shape the NumPy kernel uses (a dict of coefficients) and adds the crossing
solver. The model, written as a linear equation for V with a time-varying conductance:

    tau_syn dx/dt = -x,   tau_syn dg/dt = x - g
    dV/dt = -a(g) V + b(g),   a(g) = a0 + a1 g,   b(g) = b0 + b1 g

with a0 = (1 + R_m (g_exc + g_inh)) / tau_m, a1 = R_m / tau_m,
b0 = (E_m + R_m I_e + R_m (g_exc E_exc + g_inh E_inh)) / tau_m and
b1 = R_m E_syn / tau_m. x and g are linear with constant coefficients and have
an exact propagator; V is integrated over an interval of length s with g
replaced by its exact mean over that interval (see ``lifsim.sim.exact`` for the
order this gives).
"""
from __future__ import annotations

import numpy as np

from .. import model

# A crossing time is refined until it moves by less than this fraction of the interval.
CROSSING_RTOL = 1e-13
CROSSING_MAX_ITER = 60
TINY = 1e-300
NEWTON_ACCEPT = 1e-7          # ~ sqrt(CROSSING_RTOL): the next Newton step would be below CROSSING_RTOL


def coefficients(p: dict) -> dict:
    """``a0, a1, b0, b1`` of dV/dt = -(a0 + a1 g) V + (b0 + b1 g), scalars or (n,) arrays."""
    values = model.linear_coefficients(p["tau_m"], p["R_m"], p["E_m"], p["I_e"], p["E_syn"], p["g_exc"],
                                       p["E_exc"], p["g_inh"], p["E_inh"])
    return dict(zip(("a0", "a1", "b0", "b1"), values))


def synapse(x, g, s, tau):
    """Exact x and g after a time s: x e^{-s/tau} and (g + x s / tau) e^{-s/tau}."""
    return model.cascade_propagator(x, g, s, tau)


def mean_weights(s, tau):
    """Weights (w_g, w_x) with mean of g over [0, s] = w_g g(0) + w_x x(0) (1 and 0 at s = 0)."""
    return model.mean_weights(s, tau, TINY)


def mean_g(x, g, s, tau):
    """The exact mean of g over [0, s] starting from (x, g)."""
    w_g, w_x = mean_weights(s, tau)
    return w_g * g + w_x * x


def membrane(V, gbar, s, c):
    """V after a time s with the conductance held at gbar: V_inf + (V - V_inf) e^{-a s}."""
    return model.membrane_propagator(V, gbar, s, c["a0"], c["a1"], c["b0"], c["b1"])


def _crossing_length(V, gbar, theta, c):
    """Time for V to reach theta with the conductance held at gbar (NaN if it never does)."""
    v_inf = (c["b0"] + c["b1"] * gbar) / (c["a0"] + c["a1"] * gbar)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = model.crossing_length(V, gbar, theta, c["a0"], c["a1"], c["b0"], c["b1"])
    return np.where(v_inf > theta, out, np.nan)


def _value_and_slope(V, x, g, s, tau, c):
    """V(s) as in :func:`membrane` with g at its mean over [0, s], and its derivative in s."""
    return model.membrane_and_slope(V, x, g, s, tau, c["a0"], c["a1"], c["b0"], c["b1"], TINY)


def crossing_time(V, x, g, L, tau, theta, c):
    """Where V, integrated from (V, x, g) as in :func:`membrane`, first reaches theta in [0, L].

    The caller guarantees V(L) >= theta. F(s) = V(s; mean of g over [0, s]) - theta
    is continuous with F(L) >= 0. The first guess holds g at its mean over [0, L]
    (exact when g is constant); Newton steps on F with its exact derivative then
    converge quadratically. A bracket [lo, hi] with F(lo) < 0 <= F(hi) replaces
    a step that leaves it by bisection, so the result always lies in the bracket.
    Returns 0 where V already is at or above theta.
    """
    lo = np.zeros_like(L)
    hi = np.array(L, dtype=np.float64)
    s = np.fmin(_crossing_length(V, mean_g(x, g, L, tau), theta, c), hi)     # NaN -> hi
    if not (x.any() or g.any()):                                             # no conductance: s is exact
        return np.where(V >= theta, 0.0, s)
    for _ in range(CROSSING_MAX_ITER):
        value, slope = _value_and_slope(V, x, g, s, tau, c)
        above = value >= theta
        hi = np.where(above, s, hi)
        lo = np.where(above, lo, s)
        with np.errstate(divide="ignore", invalid="ignore"):
            proposal = s - (value - theta) / slope
        bad = ~((proposal >= lo) & (proposal <= hi))
        proposal = np.where(bad, 0.5 * (lo + hi), proposal)
        step = np.abs(proposal - s)
        # a Newton step of size d leaves an error of order d^2 / L: accept it once d < sqrt(rtol) L
        done = (step <= CROSSING_RTOL * L) | (~bad & (step <= NEWTON_ACCEPT * L))
        s = proposal
        if done.all():
            break
    return np.where(V >= theta, 0.0, s)
