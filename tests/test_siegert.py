"""The Siegert rate against the NOTES value, its limits, an independent quadrature and its monotonicity."""
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erfcx

from lifsim.analysis.siegert import brunel_parameters, deterministic_rate, erfcx_integral, siegert_rate

THETA, V_R, TAU, T_REF = -54e-3, -80e-3, 10e-3, 2e-3


def naive_rate(mu, sigma):
    """The textbook integrand e^{u^2} (1 + erf u) = e^{u^2} erfc(-u) by adaptive quadrature.

    Written with erfc so that 1 + erf u does not cancel for u << 0; fine where e^{u^2} does not overflow.
    """
    from scipy.special import erfc
    integral, _ = quad(lambda u: np.exp(u * u) * erfc(-u), (V_R - mu) / sigma, (THETA - mu) / sigma,
                       epsabs=0, epsrel=1e-12, limit=200)
    return 1.0 / (T_REF + TAU * np.sqrt(np.pi) * integral)


def test_notes_value():
    assert siegert_rate(-56e-3, 4e-3, THETA, V_R, TAU, T_REF) == pytest.approx(23.70, abs=0.005)


@pytest.mark.parametrize("mu", [-70e-3, -60e-3, -56e-3, -54e-3, -50e-3, -40e-3])
@pytest.mark.parametrize("sigma", [1e-3, 2e-3, 4e-3, 6e-3, 10e-3])
def test_against_naive_quadrature(mu, sigma):
    if (THETA - mu) / sigma > 5 or (V_R - mu) / sigma < -26:   # the naive e^{u^2} overflows / loses digits
        pytest.skip("outside the naive form's range")
    assert siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF) == pytest.approx(naive_rate(mu, sigma), rel=1e-10)


def test_erfcx_integral_against_quad():
    for x in [1e-3, 0.5, 3.0, 40.0, 1e4, 1e7]:
        ref, _ = quad(erfcx, 0, x, epsabs=0, epsrel=1e-13, limit=500)
        assert erfcx_integral(x) == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("mu", [-53e-3, -50e-3, -40e-3])
def test_small_sigma_gives_deterministic_rate(mu):
    det = deterministic_rate(mu, THETA, V_R, TAU, T_REF)
    for sigma, tol in [(1e-5, 1e-3), (1e-7, 1e-5), (1e-9, 1e-7)]:
        assert siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF) == pytest.approx(det, rel=tol)
    assert siegert_rate(mu, 0.0, THETA, V_R, TAU, T_REF) == det


def test_below_threshold_without_noise_is_silent():
    assert siegert_rate(-56e-3, 0.0, THETA, V_R, TAU, T_REF) == 0.0
    assert siegert_rate(-56e-3, 1e-6, THETA, V_R, TAU, T_REF) == 0.0


def test_low_rates_finite_and_monotone():
    mu = np.linspace(-90e-3, -30e-3, 601)
    with np.errstate(all="raise"):
        for sigma in [0.5e-3, 2e-3, 4e-3, 6e-3]:
            rate = siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF)
            assert np.all(np.isfinite(rate)) and np.all(rate >= 0)
            assert np.all(np.diff(rate) >= 0) and np.all(np.diff(rate[rate > 1e-200]) > 0)
    # rates down to 1e-3 Hz and far below stay accurate against the naive form where it still works
    low_mu = -62e-3
    r = siegert_rate(low_mu, 2e-3, THETA, V_R, TAU, T_REF)
    assert 0 < r < 1e-3
    assert r == pytest.approx(naive_rate(low_mu, 2e-3), rel=1e-9)


def test_increases_with_sigma_below_threshold():
    sigma = np.linspace(0.5e-3, 10e-3, 40)
    rate = siegert_rate(-58e-3, sigma, THETA, V_R, TAU, T_REF)
    assert np.all(np.diff(rate) > 0)


def test_vectorised_broadcast():
    mu = np.array([-60e-3, -56e-3, -50e-3])[:, None]
    sigma = np.array([0.0, 2e-3, 4e-3, 6e-3])[None, :]
    rate = siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF)
    assert rate.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert rate[i, j] == siegert_rate(float(mu[i, 0]), float(sigma[0, j]), THETA, V_R, TAU, T_REF)


def test_brunel_parameters_of_the_conductance_model():
    # no conductances: mu = E_m + R_m I_e, tau = tau_m, sigma unchanged
    mu, tau, s = brunel_parameters(-70e-3, 10e6, 10e-3, 4e-3, I_e=1.5e-9)
    assert (mu, tau, float(s)) == pytest.approx((-55e-3, 10e-3, 4e-3))
    # a tonic conductance halves tau (L = 2) and sigma_eff = sigma / sqrt(2): diffusion sigma^2/tau unchanged
    mu, tau, s = brunel_parameters(-70e-3, 10e6, 10e-3, 4e-3, g_exc=100e-9, E_exc=0.0)
    assert tau == pytest.approx(5e-3) and float(s) == pytest.approx(4e-3 / np.sqrt(2))
    assert float(s) ** 2 / tau == pytest.approx(4e-3**2 / 10e-3)
    assert mu == pytest.approx(-35e-3)
