"""Firing-rate estimators and the analytical f-I rate (pure functions of arrays; SI or any consistent units)."""
from __future__ import annotations

import numpy as np

from .. import model


def isi_rate(count, first, last) -> np.ndarray:
    """1 / mean inter-spike interval, from spike counts and first/last spike times.

    The mean ISI of a train is (last - first) / (count - 1), so no loop over
    trains is needed. 0 with no spike; undefined (NaN) with one spike.
    """
    count = np.asarray(count)
    span = np.asarray(last, dtype=float) - np.asarray(first, dtype=float)
    out = np.full(np.shape(count), np.nan)
    many = count >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        out[many] = (count[many] - 1) / span[many]
    out[count == 0] = 0.0
    return out


def rate_from_mean_isi(count, mean_isi) -> np.ndarray:
    """1 / mean ISI from per-train statistics: 0 with no spike, NaN with one spike."""
    count = np.asarray(count)
    out = np.full(np.shape(count), np.nan)
    many = count >= 2
    out[many] = 1.0 / np.asarray(mean_isi, dtype=float)[many]
    out[count == 0] = 0.0
    return out


def count_rate(count, duration) -> np.ndarray:
    """Spike count / simulated duration (quantised to 1 / duration)."""
    return np.asarray(count, dtype=float) / duration


def rheobase(R_m, E_m, V_thr):
    """The smallest constant current that makes the neuron fire: (V_thr - E_m) / R_m."""
    return (V_thr - E_m) / R_m


def analytical_rate(I_e, tau_m, R_m, E_m, V_thr, V_reset, t_ref=0.0) -> np.ndarray:
    """Firing rate of the LIF neuron under constant current (0 at and below rheobase, no warnings).

    1 / (t_ref + tau_m ln((R_m I_e + E_m - V_reset) / (R_m I_e + E_m - V_thr))).
    """
    I_e = np.asarray(I_e, dtype=float)
    V_inf = R_m * I_e + E_m
    above = V_inf > V_thr
    # below rheobase the period is undefined: evaluate it at a harmless stand-in (ln 2) and discard it
    with np.errstate(divide="ignore", invalid="ignore"):
        period = model.lif_period(np.where(above, V_inf, 2.0 * V_thr - V_reset), V_thr, V_reset, tau_m, t_ref)
    return np.where(above, 1.0 / period, 0.0)
