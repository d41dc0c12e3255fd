"""The model's equations, written once: every integrator, the reference and the theory call these.

The conductance-based LIF neuron with an x -> g synaptic cascade and tonic conductances:

    I_syn = g (V - E_syn) + g_exc (V - E_exc) + g_inh (V - E_inh)
    tau_m dV/dt = -(V - E_m) + R_m (I_e - I_syn)
    tau_syn dx/dt = -x,   tau_syn dg/dt = x - g          (a presynaptic spike: x += its weight)

dV/dt is linear in V and in g: dV/dt = -(a0 + a1 g) V + b0 + b1 g with the
coefficients of :func:`linear_coefficients`, which is the form the exact
propagators and the compiled kernels use.

Every function is plain arithmetic (``+ - * /`` and NumPy's elementwise
``exp``, ``expm1``, ``log``, ``log1p``, ``maximum``), so it works on scalars and
on broadcasting arrays alike, in any consistent units, and compiles unchanged
with ``numba.njit(model.f)`` inside the numba kernels. No function calls
another one (a compiled caller could not call an uncompiled function); the
kernels compose them. Branches (thresholds, "never fires") belong to the callers.
"""
from __future__ import annotations

import numpy as np


def synaptic_current(V, g, E_syn, g_exc, E_exc, g_inh, E_inh):
    """I_syn: the synaptic (g) and the tonic (g_exc, g_inh) conductances times their driving forces."""
    return g * (V - E_syn) + g_exc * (V - E_exc) + g_inh * (V - E_inh)


def membrane_current(V, E_m, R_m):
    """I_m = (V - E_m) / R_m, the leak current."""
    return (V - E_m) / R_m


def dv_dt(V, I_syn, E_m, R_m, I_e, tau_m):
    """The drive: dV/dt = (E_m + R_m I_e - V - R_m I_syn) / tau_m."""
    return (E_m + R_m * I_e - V - R_m * I_syn) / tau_m


def linear_coefficients(tau_m, R_m, E_m, I_e, E_syn, g_exc, E_exc, g_inh, E_inh):
    """``(a0, a1, b0, b1)`` of dV/dt = -(a0 + a1 g) V + (b0 + b1 g); the same equation as :func:`dv_dt`."""
    a0 = (1.0 + R_m * (g_exc + g_inh)) / tau_m
    a1 = R_m / tau_m
    b0 = (E_m + R_m * I_e + R_m * (g_exc * E_exc + g_inh * E_inh)) / tau_m
    b1 = R_m * E_syn / tau_m
    return a0, a1, b0, b1


def dv_dt_linear(V, g, a0, a1, b0, E_syn):
    """dV/dt from the linear coefficients: b0 - a0 V - a1 g (V - E_syn) (b1 = a1 E_syn)."""
    return b0 - a0 * V - a1 * g * (V - E_syn)


def cascade_derivatives(x, g, tau_syn):
    """(dx/dt, dg/dt) = (-x / tau_syn, (x - g) / tau_syn)."""
    return -x / tau_syn, (x - g) / tau_syn


def cascade_propagator(x, g, s, tau_syn):
    """Exact (x, g) after a time s: x e^{-s/tau} and (g + x s / tau) e^{-s/tau}."""
    u = s / tau_syn
    decay = np.exp(-u)
    return x * decay, (g + x * u) * decay


def mean_weights(s, tau_syn, tiny):
    """Weights (w_g, w_x) with mean of g over [0, s] = w_g g(0) + w_x x(0).

    w_g = (1 - e^{-u}) / u and w_x = (1 - (1 + u) e^{-u}) / u with u = s / tau
    (the integrals of e^{-t/tau} and (t/tau) e^{-t/tau}); ``tiny`` > 0 stands in
    for u = 0, where they are exactly 1 and 0.
    """
    u = np.maximum(s / tau_syn, tiny)
    one_minus = -np.expm1(-u)
    return one_minus / u, (one_minus - u * np.exp(-u)) / u


def membrane_propagator(V, gbar, s, a0, a1, b0, b1):
    """V after a time s with the conductance held at gbar: V_inf + (V - V_inf) e^{-a s}."""
    a = a0 + a1 * gbar
    v_inf = (b0 + b1 * gbar) / a
    return V - (v_inf - V) * np.expm1(-a * s)


def rate_and_rest(gbar, a0, a1, b0, b1):
    """The membrane's rate a = a0 + a1 gbar and the potential it relaxes to, V_inf = (b0 + b1 gbar) / a."""
    a = a0 + a1 * gbar
    return a, (b0 + b1 * gbar) / a


def relaxed(V, v_inf, em):
    """V_inf + (V - V_inf) e^{-a s} written with em = expm1(-a s) (the form of :func:`membrane_propagator`)."""
    return V - (v_inf - V) * em


def membrane_and_slope(V, x, g, s, tau_syn, a0, a1, b0, b1, tiny):
    """V(s) by :func:`membrane_propagator` with g at its exact mean over [0, s], and dV(s)/ds."""
    u = np.maximum(s / tau_syn, tiny)
    decay = np.exp(-u)
    one_minus = -np.expm1(-u)
    gbar = (one_minus * g + (one_minus - u * decay) * x) / u
    g_end = (g + x * u) * decay
    dgbar = (g_end - gbar) / np.maximum(s, tiny)              # d(mean)/ds = (g(s) - mean) / s
    a = a0 + a1 * gbar
    v_inf = (b0 + b1 * gbar) / a
    E = np.exp(-a * s)
    value = V - (v_inf - V) * np.expm1(-a * s)
    slope = a * (v_inf - V) * E + ((b1 - v_inf * a1) / a * (1 - E) - (V - v_inf) * E * s * a1) * dgbar
    return value, slope


def crossing_length(V, gbar, theta, a0, a1, b0, b1):
    """Time for V to reach theta with the conductance held at gbar; meaningful where V_inf > theta."""
    a = a0 + a1 * gbar
    v_inf = (b0 + b1 * gbar) / a
    return np.log1p((theta - V) / (v_inf - theta)) / a


def lif_period(V_inf, V_thr, V_reset, tau, t_ref):
    """Inter-spike interval of the deterministic LIF neuron relaxing towards V_inf > V_thr.

    t_ref + tau ln((V_inf - V_reset) / (V_inf - V_thr)); the f-I rate is its inverse
    with V_inf = E_m + R_m I_e and tau = tau_m.
    """
    return t_ref + tau * np.log((V_inf - V_reset) / (V_inf - V_thr))
