"""Closed forms of the passive and the integrate-and-fire membrane (SI units; pure functions of arrays).

With tonic conductances g_exc, g_inh and a constant current I_e, the membrane
equation tau_m dV/dt = -(V - E_m) - R_m [g_exc (V - E_exc) + g_inh (V - E_inh)] + R_m I_e
is linear in V with

- input resistance   R_in    = R_m / (1 + R_m (g_exc + g_inh))
- time constant      tau_eff = tau_m / (1 + R_m (g_exc + g_inh))
- resting potential  V_inf   = (E_m + R_m (g_exc E_exc + g_inh E_inh + I_e)) / (1 + R_m (g_exc + g_inh)).
"""
from __future__ import annotations

import numpy as np

from .. import units


def si(var) -> np.ndarray | float:
    """A dataset variable (display units, ``units`` attribute) as SI float(s)."""
    _, power = units.UNITS[var.attrs["units"]]
    values = np.asarray(var.values, dtype=np.float64) * 10.0**power
    return float(values) if values.ndim == 0 else values


def si_array(var):
    """A dataset variable or coordinate (display units) as an SI DataArray with the same dims (no attrs)."""
    _, power = units.UNITS[var.attrs["units"]]
    out = var.astype(np.float64) * 10.0**power
    out.attrs = {}
    return out.reset_coords(drop=True)


def leak_factor(R_m, g_exc, g_inh):
    """1 + R_m (g_exc + g_inh): how much the tonic conductances speed up and shrink the membrane."""
    return 1.0 + R_m * (np.asarray(g_exc) + np.asarray(g_inh))


def input_resistance(R_m, g_exc, g_inh):
    return R_m / leak_factor(R_m, g_exc, g_inh)


def effective_tau(tau_m, R_m, g_exc, g_inh):
    return tau_m / leak_factor(R_m, g_exc, g_inh)


def effective_rest(E_m, R_m, g_exc, E_exc, g_inh, E_inh, I_e=0.0):
    return (E_m + R_m * (g_exc * E_exc + g_inh * E_inh + I_e)) / leak_factor(R_m, g_exc, g_inh)


def euler_fitted_tau(tau, dt):
    """What an exponential fit to a forward-Euler relaxation returns: -dt / ln(1 - dt/tau) = tau - dt/2 + O(dt^2/tau).

    Euler multiplies the distance to the steady state by (1 - dt/tau) per step,
    while the exact solution multiplies it by exp(-dt/tau).
    """
    return -dt / np.log1p(-dt / np.asarray(tau))


def first_spike_time(V0, V_inf, V_thr, tau):
    """Time for V to relax from V0 to V_thr towards V_inf > V_thr: tau ln((V_inf - V0) / (V_inf - V_thr)).

    NaN where the threshold is never reached (V_inf <= V_thr); 0 where V0 >= V_thr.
    """
    V0, V_inf = np.asarray(V0, dtype=float), np.asarray(V_inf, dtype=float)
    reach = V_inf > V_thr
    num = np.where(reach, V_inf - np.minimum(V0, V_thr), 1.0)
    den = np.where(reach, V_inf - V_thr, 1.0)
    return np.where(reach, tau * np.log(num / den), np.nan)
