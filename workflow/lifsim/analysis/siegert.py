"""The Siegert (Ricciardi) first-passage rate of the leaky integrate-and-fire neuron with white noise.

Convention (Brunel 2000): tau dV = -(V - mu) dt + sigma sqrt(tau) dW, threshold
theta, reset V_r, refractory period t_ref. ``sigma`` is Brunel's sigma: the
free membrane potential (no threshold) is Gaussian with mean mu and standard
deviation sigma / sqrt(2); the diffusion coefficient of V is sigma^2 / tau.

    1 / rate = t_ref + tau sqrt(pi) * integral_{y_r}^{y_theta} erfcx(-u) du,
    y_theta = (theta - mu) / sigma,  y_r = (V_r - mu) / sigma,

with erfcx(-u) = e^{u^2} (1 + erf u). The integral is evaluated through
    G(y) = integral_0^y erfcx(-u) du = -F(-y)                     (y <= 0)
         = 2 e^{y^2} D(y) - F(y)                                  (y > 0),
where D is Dawson's function and F(x) = integral_0^x erfcx(s) ds is bounded by a
logarithm and computed by Gauss-Legendre quadrature in w = log(1 + s), where
the integrand erfcx(s) (1 + s) is smooth and of order one, or (many points) from
a Chebyshev table of that quadrature (lifsim.analysis.erfcx_integral). Nothing overflows:
where e^{y_theta^2} would exceed the float range the rate is 0 (below 1e-250 Hz).
sigma = 0 gives the deterministic rate 1 / (t_ref + tau ln((mu - V_r) / (mu - theta))), 0 for mu <= theta.

Here (in analysis/, beside theory.py) because it is a closed form of the model that
the analysis compares simulations with; the simulation side never needs it.

Mapping the conductance-based neuron (see :mod:`lifsim.analysis.theory`) with tonic
conductances g_exc, g_inh, current I_e and noise sigma (given, as in the config, with
tau_m: tau_m dV = (...) dt + sigma sqrt(tau_m) dW): dividing by the leak factor
L = 1 + R_m (g_exc + g_inh) gives Brunel's form with mu = effective_rest (E_m + R_m I_e
without conductances), tau = tau_m / L and sigma_eff = sigma / sqrt(L) (the diffusion
coefficient sigma^2 / tau_m is unchanged). This is exact only for constant conductances;
for an Ornstein-Uhlenbeck (coloured) current noise the Siegert rate does not apply.
"""
from __future__ import annotations

import numpy as np

from .erfcx_integral import erfcx_integral
from .theory import effective_rest, effective_tau, leak_factor

__all__ = ["erfcx_integral", "erfcx_minus_integral", "siegert_rate", "deterministic_rate", "brunel_parameters"]

# e^{y^2} D(y) overflows a double beyond y ~ 26.6; above this the rate is < 1e-250 Hz and set to 0.
Y_MAX = 24.0


def erfcx_minus_integral(y):
    """G(y) = integral_0^y erfcx(-u) du = integral_0^y e^{u^2} (1 + erf u) du, for y <= Y_MAX."""
    from scipy.special import dawsn

    y = np.asarray(y, dtype=np.float64)
    out = np.empty(y.shape)
    positive = y > 0                     # each branch only where it applies
    pos = np.clip(y[positive], 0.0, Y_MAX)
    out[positive] = 2.0 * np.exp(pos * pos) * dawsn(pos) - erfcx_integral(pos)
    out[~positive] = -erfcx_integral(np.maximum(-y[~positive], 0.0))
    return out


def siegert_rate(mu, sigma, theta, V_r, tau, t_ref):
    """Stationary firing rate (Hz) of the noisy LIF neuron; all arguments in SI, broadcasting arrays."""
    mu, sigma, theta, V_r, tau, t_ref = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64)
                                                              for a in (mu, sigma, theta, V_r, tau, t_ref)))
    noisy = sigma > 0
    s = np.where(noisy, sigma, 1.0)
    y_theta, y_r = (theta - mu) / s, (V_r - mu) / s
    reachable = noisy & (y_theta <= Y_MAX)
    rate = np.zeros(mu.shape)
    # the integral only where it is needed (a sweep's sigma = 0 points need none of it)
    integral = erfcx_minus_integral(y_theta[reachable]) - erfcx_minus_integral(y_r[reachable])
    with np.errstate(divide="ignore"):
        rate[reachable] = 1.0 / (t_ref[reachable] + tau[reachable] * np.sqrt(np.pi) * integral)
    out = np.where(noisy, rate, deterministic_rate(mu, theta, V_r, tau, t_ref))
    return float(out) if out.ndim == 0 else out


def deterministic_rate(mu, theta, V_r, tau, t_ref):
    """sigma = 0: 1 / (t_ref + tau ln((mu - V_r) / (mu - theta))) above threshold (mu > theta), else 0."""
    mu, theta, V_r, tau, t_ref = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64)
                                                       for a in (mu, theta, V_r, tau, t_ref)))
    fires = mu > theta
    num = np.where(fires, mu - V_r, 2.0)
    den = np.where(fires, mu - theta, 1.0)
    return np.where(fires, 1.0 / (t_ref + tau * np.log(num / den)), 0.0)


def brunel_parameters(E_m, R_m, tau_m, sigma, I_e=0.0, g_exc=0.0, E_exc=0.0, g_inh=0.0, E_inh=0.0):
    """(mu, tau, sigma_eff) of Brunel's form for the conductance-based neuron with constant conductances.

    ``sigma`` is the config's white noise (tau_m dV = (...) dt + sigma sqrt(tau_m) dW).
    """
    L = leak_factor(R_m, g_exc, g_inh)
    mu = effective_rest(E_m, R_m, g_exc, E_exc, g_inh, E_inh, I_e)
    return mu, effective_tau(tau_m, R_m, g_exc, g_inh), np.asarray(sigma) / np.sqrt(L)
