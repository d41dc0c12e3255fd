"""The Chebyshev table of F(x) = integral_0^x erfcx against the quadrature it interpolates, and the Siegert rate
from the table against the Siegert rate from the quadrature (the implementation before the table).

Tolerances: the table adds to the quadrature's error at most the neglected Chebyshev tail (TAIL_BOUND relative,
checked when the table is built) plus the rounding of a degree-DEGREE Clenshaw sum, under 2 (DEGREE + 1) ulp of
sum |c_j| <= ~2 |g| (g decreases monotonically on each piece): TABLE_TOL below. For the rate 1 / (t_ref + tau
sqrt(pi) (G(y_theta) - G(y_r))), an error of TABLE_TOL in each |F| moves the integral by at most
TABLE_TOL (|F(x_theta)| + |F(x_r)|), and the rate by rate^2 tau sqrt(pi) times that.
"""
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erfcx

from lifsim.analysis import erfcx_integral as table_module
from lifsim.analysis import siegert
from lifsim.analysis.erfcx_integral import DEGREE, TAIL_BOUND, W_TABLE, erfcx_integral, erfcx_integral_quad, table

EPS = np.finfo(float).eps
TABLE_TOL = TAIL_BOUND + 4 * (DEGREE + 1) * EPS
THETA, V_R, TAU, T_REF = -54e-3, -80e-3, 10e-3, 2e-3


def test_table_against_quadrature_everywhere_it_is_used():
    rng = np.random.default_rng(11)
    w = np.concatenate([rng.uniform(0.0, W_TABLE, 200_000), 10.0 ** rng.uniform(-15, 0, 5_000),
                        np.arange(0.0, W_TABLE + 1e-9, table_module.PIECE)])   # piece edges
    x = np.expm1(w)
    ref = erfcx_integral_quad(x)
    got = erfcx_integral(x)
    positive = x > 0
    assert np.all(np.abs(got[positive] / ref[positive] - 1.0) <= TABLE_TOL)
    assert np.all(got[~positive] == 0.0)


def test_table_against_adaptive_quadrature():
    for x in [1e-12, 1e-3, 0.37, 2.0, 9.5, 150.0, 3e4, 2e8]:
        ref, _ = quad(erfcx, 0, x, epsabs=0, epsrel=1e-13, limit=500)
        assert erfcx_integral(x) == pytest.approx(ref, rel=1e-12)


def test_beyond_the_table_is_the_quadrature():
    x = np.array([np.expm1(W_TABLE) * 1.0001, 1e10, 1e15])
    assert np.array_equal(erfcx_integral(x), erfcx_integral_quad(x))


def test_shape_and_scalar():
    x = np.linspace(0, 50, 12).reshape(3, 4)
    assert erfcx_integral(x).shape == (3, 4)
    assert float(erfcx_integral(3.0)) == pytest.approx(float(erfcx_integral_quad(3.0)), rel=TABLE_TOL)


def test_table_is_built_once_and_read_only():
    assert table() is table()
    assert not table().flags.writeable
    assert table().shape == (int(np.ceil(W_TABLE / table_module.PIECE)), DEGREE + 1)


def test_siegert_rate_from_the_table_against_the_quadrature(monkeypatch):
    mu = np.linspace(-95e-3, -25e-3, 1401)[:, None]
    sigma = np.array([0.0, 0.05e-3, 0.5e-3, 1e-3, 2e-3, 4e-3, 6e-3, 10e-3, 30e-3])[None, :]
    new = siegert.siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF)
    monkeypatch.setattr(siegert, "erfcx_integral", erfcx_integral_quad)
    old = siegert.siegert_rate(mu, sigma, THETA, V_R, TAU, T_REF)
    assert np.all(np.isfinite(new)) and np.array_equal(new == 0, old == 0)
    assert np.any((old > 0) & (old < 1e-3))        # rates down to 1e-3 Hz and below are in the grid
    s = np.where(sigma > 0, sigma, 1.0)
    bound = TABLE_TOL * (erfcx_integral_quad(np.abs((THETA - mu) / s)) + erfcx_integral_quad(np.abs((V_R - mu) / s)))
    # 2: margin on the first-order bound; 4 ulp: the rounding of G(y_theta) - G(y_r) and of the division, which a
    # different last digit of F changes even where e^{y^2} D(y) dominates G
    bound = np.where(sigma > 0, 2 * old**2 * TAU * np.sqrt(np.pi) * bound + 4 * EPS * old, 0.0)
    assert np.all(np.abs(new - old) <= bound)
    assert np.all(new[:, 0] == old[:, 0])            # sigma = 0: the deterministic formula, untouched
