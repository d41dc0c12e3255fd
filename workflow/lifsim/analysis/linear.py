"""The PSP in the small-conductance limit: the response with the driving force held at rest.

With u = V - V_rest (V_rest, R_in, tau_eff of the tonic conductances and I_e,
see ``theory``), the membrane equation is

    tau_eff du/dt = -u + R_in g_syn(t) (E_syn - V_rest) - R_in g_syn(t) u.

The last term is second order in g_star (g_syn and u are each first order);
dropping it leaves a linear equation whose solution is exact to first order in
g_star. One presynaptic spike at t = 0 gives the alpha conductance
g_syn = g_star (t / tau_syn) e^{-t / tau_syn} (x jumps by g_star; tau_syn dx/dt = -x,
tau_syn dg/dt = x - g), and with a = 1/tau_syn, b = 1/tau_eff, k = a - b:

    u(t) = R_in g_star (E_syn - V_rest) a b t^2 e^{-b t} f(k t),   f(x) = (1 - e^{-x} (1 + x)) / x^2,

(f(0) = 1/2: for tau_syn = tau_eff = tau, u = R_in g_star D t^2 e^{-t/tau} / (2 tau^2), peak
2 e^{-2} R_in g_star D at t = 2 tau). Several spikes superpose. The peak is found on a
fine grid and refined by a parabola through the three samples around it.
"""
from __future__ import annotations

import numpy as np

GRID = 20001            # samples of the linear response over the run (refined by a parabola)


def f(x):
    """(1 - e^{-x} (1 + x)) / x^2, with its series near 0 (no cancellation)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    exact = (-np.expm1(-xs) - xs * np.exp(-xs)) / xs**2
    return np.where(small, 0.5 - x / 3 + x**2 / 8, exact)


def unit_response(t, tau_syn, tau_eff):
    """u(t) / (R_in g_star D) for one spike at t = 0 (0 before it); arrays broadcast."""
    t = np.asarray(t, dtype=float)
    a, b = 1.0 / tau_syn, 1.0 / tau_eff
    ts = np.maximum(t, 0.0)
    return np.where(t > 0, a * b * ts**2 * np.exp(-b * ts) * f((a - b) * ts), 0.0)


def linear_psp(spikes, t_end, tau_syn, tau_eff, scale):
    """(signed peak, its time) of the linear response to ``spikes`` (s) over [0, t_end], for arrays of cases.

    ``scale`` = R_in g_star (E_syn - V_rest) (V); ``tau_syn``, ``tau_eff`` (s) broadcast against it.
    With no spike the response is 0 and the time NaN.
    """
    tau_syn, tau_eff, scale = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (tau_syn, tau_eff, scale)))
    if not spikes:
        return np.zeros(scale.shape), np.full(scale.shape, np.nan)
    t = np.linspace(0.0, t_end, GRID)
    h = t[1] - t[0]
    shape = scale.shape
    ts, te = tau_syn.reshape(-1, 1), tau_eff.reshape(-1, 1)
    w = sum(unit_response(t - s, ts, te) for s in spikes)           # (cases, GRID)
    i = np.clip(np.argmax(w, axis=1), 1, GRID - 2)
    rows = np.arange(w.shape[0])
    y0, y1, y2 = w[rows, i - 1], w[rows, i], w[rows, i + 1]
    curv = y0 - 2 * y1 + y2
    shift = np.where(curv < 0, 0.5 * (y0 - y2) / np.where(curv < 0, curv, 1.0), 0.0)
    peak = y1 - 0.25 * (y0 - y2) * shift
    time = t[i] + shift * h
    return (peak.reshape(shape) * scale), time.reshape(shape)
