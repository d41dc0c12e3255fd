"""OU transitions, the bridge crossing probability and time, inverse Gaussian and Poisson draws."""
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erfc
from scipy.stats import norm

from lifsim import noise


def test_ou_transition_composes_and_is_stationary():
    V, mu, tau, sigma, h = -70e-3, -56e-3, 10e-3, 4e-3, 0.7e-3
    m_half, s_half = noise.ou_transition(V, mu, tau, sigma, h / 2)
    m2, s2 = noise.ou_transition(m_half, mu, tau, sigma, h / 2)
    m, s = noise.ou_transition(V, mu, tau, sigma, h)
    assert m2 == pytest.approx(m, rel=1e-14)
    assert s_half**2 * np.exp(-h / tau) + s_half**2 == pytest.approx(s**2, rel=1e-12)
    assert noise.ou_transition(V, mu, tau, sigma, 50.0)[1] == pytest.approx(sigma / np.sqrt(2), rel=1e-14)
    # small h: the variance is the diffusion sigma^2/tau times h
    assert noise.ou_transition(V, mu, tau, sigma, 1e-9)[1] ** 2 == pytest.approx(sigma**2 / tau * 1e-9, rel=1e-6)


def test_ou_current_transition_keeps_stationary_variance():
    std, tau, h = 0.3e-9, 5e-3, 0.1e-3
    mean, s = noise.ou_current_transition(1.0, std, tau, h)
    assert mean == pytest.approx(np.exp(-h / tau))
    assert (np.exp(-h / tau) * std) ** 2 + s**2 == pytest.approx(std**2, rel=1e-12)


def brownian_first_passage(a, D, h):
    """Reflection principle: P(max of a Brownian motion over h >= a) = erfc(a / sqrt(2 D h))."""
    return erfc(a / np.sqrt(2 * D * h))


@pytest.mark.parametrize("a", [0.2, 1.0, 2.5])
def test_bridge_probability_is_exact_for_brownian_motion(a):
    D, h, tau = 1.0, 1.0, 1e7                      # tau -> infinity: V is a Brownian motion
    sigma = np.sqrt(D * tau)
    theta, V0 = a, 0.0
    below, _ = quad(lambda v: norm.pdf(v, 0, np.sqrt(D * h)) *
                    noise.bridge_crossing_probability(V0, v, theta, sigma, tau, h), -40, theta, epsabs=1e-14)
    assert below + norm.sf(theta, 0, np.sqrt(D * h)) == pytest.approx(brownian_first_passage(a, D, h), rel=1e-9)


def test_bridge_probability_limits():
    assert noise.bridge_crossing_probability(-54e-3, -60e-3, -54e-3, 4e-3, 10e-3, 1e-4) == 1.0
    assert noise.bridge_crossing_probability(-60e-3, -53e-3, -54e-3, 4e-3, 10e-3, 1e-4) == 1.0
    assert noise.bridge_crossing_probability(-60e-3, -60e-3, -54e-3, 0.0, 10e-3, 1e-4) == 0.0
    # the sinh variance equals the standard sigma^2 h / tau to O((h/tau)^3)
    v = noise.bridge_variance(4e-3, 10e-3, 1e-4)
    assert v == pytest.approx(4e-3**2 * 1e-2, rel=2e-5) and v > 4e-3**2 * 1e-2


def test_crossing_time_has_the_first_passage_distribution():
    """Brownian motion from 0, level a: the drawn times of crossings within h follow erfc(a / sqrt(2 D t))."""
    rng = np.random.default_rng(11)
    D, h, tau, a = 1.0, 1.0, 1e7, 0.8
    sigma, n = np.sqrt(D * tau), 400_000
    V1 = rng.normal(0.0, np.sqrt(D * h), n)
    crossed = (V1 >= a) | (rng.random(n) < noise.bridge_crossing_probability(0.0, V1, a, sigma, tau, h))
    t = noise.crossing_time(0.0, V1[crossed], a, sigma, tau, h, rng.normal(size=crossed.sum()),
                            rng.random(crossed.sum()))
    assert np.all((t > 0) & (t <= h))
    for s in [0.1, 0.2, 0.4, 0.7, 1.0]:
        p = brownian_first_passage(a, D, s)
        assert np.sum(t <= s) / n == pytest.approx(p, abs=5 * np.sqrt(p * (1 - p) / n))


def test_inverse_gaussian_moments_and_levy_limit():
    rng = np.random.default_rng(5)
    n, mean, shape = 400_000, 2.0, 3.0
    x = noise.inverse_gaussian(1 / mean, shape, rng.normal(size=n), rng.random(n))
    var = mean**3 / shape
    assert x.mean() == pytest.approx(mean, abs=5 * np.sqrt(var / n))
    assert x.var() == pytest.approx(var, rel=0.05)
    levy = noise.inverse_gaussian(0.0, shape, rng.normal(size=n), rng.random(n))
    for q in [0.5, 2.0, 10.0]:
        p = erfc(np.sqrt(shape / (2 * q)))
        assert np.mean(levy <= q) == pytest.approx(p, abs=5 * np.sqrt(p * (1 - p) / n))


def test_poisson_counts():
    rng = np.random.default_rng(2)
    n, lam = 400_000, 0.08
    k = noise.poisson_counts(lam, rng.random(n))
    for j in range(3):
        p = np.exp(-lam) * lam**j / np.prod(range(1, j + 1))
        assert np.mean(k == j) == pytest.approx(p, abs=5 * np.sqrt(p * (1 - p) / n))
    assert noise.poisson_counts(3.0, 0.5) == 3    # median of Poisson(3)
