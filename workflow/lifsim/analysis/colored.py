"""The firing rate under an Ornstein-Uhlenbeck current: Fourcaud & Brunel's (2002) coloured-noise correction.

Model (see :mod:`lifsim.noisy.ou_current`): tau dV = (-(V - mu) + R_in I) dt with I an OU current of
stationary standard deviation ``std`` and correlation time tau_s. Written as Fourcaud & Brunel's filtered
white noise, tau_s dI' = -I' dt + sigma sqrt(tau) dW with I' = R_in I, it has Brunel's
sigma = R_in std sqrt(2 tau_s / tau) (the white noise it tends to as tau_s -> 0). To first order in
sqrt(tau_s / tau) the rate is the Siegert rate with threshold and reset both raised by
(alpha / 2) sigma sqrt(tau_s / tau), alpha = sqrt(2) |zeta(1/2)| = 2.0653. An approximation for
tau_s << tau (it is not exact at tau_s / tau = 0.5, say): the analysis shows it beside the simulation
and judges no goal on it.
"""
from __future__ import annotations

import numpy as np

HALF_ALPHA = 1.0326265761156084   # |zeta(1/2)| / sqrt(2)


def white_sigma(R_in, std, tau_s, tau):
    """Brunel's sigma of the white-noise limit of the OU current (V)."""
    return np.asarray(R_in) * np.asarray(std) * np.sqrt(2.0 * np.asarray(tau_s) / np.asarray(tau))


def fourcaud_brunel_rate(mu, R_in, std, tau_s, theta, V_r, tau, t_ref):
    """Rate (Hz) under the OU current: Siegert with threshold and reset shifted (all SI, arrays broadcast)."""
    from .siegert import siegert_rate

    sigma = white_sigma(R_in, std, tau_s, tau)
    shift = HALF_ALPHA * sigma * np.sqrt(np.asarray(tau_s) / np.asarray(tau))
    return siegert_rate(mu, sigma, np.asarray(theta) + shift, np.asarray(V_r) + shift, tau, t_ref)
