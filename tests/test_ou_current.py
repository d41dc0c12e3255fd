"""The Ornstein-Uhlenbeck current noise: its exact joint transition, stationary statistics against theory, spike
times, reproducibility and split-independence, the Fourcaud-Brunel limit, and the noisy_fi_curve config."""
import copy

import numpy as np
import pytest
from conftest import default_config
from scipy.linalg import expm

import lifsim
from lifsim.analysis.colored import fourcaud_brunel_rate
from lifsim.analysis.siegert import siegert_rate
from lifsim.config import ConfigError
from lifsim.noisy.ou_current import simulate
from lifsim.noisy.ou_transition import hermite_crossing, joint_coefficients
from lifsim.noisy.points import interval_sums
from lifsim.rng import neuron_keys

TAU, R, STD, TAU_S = 0.01, 1e7, 0.3e-9, 0.005      # 10 ms, 10 MOhm, 0.3 nA, 5 ms
THETA, V_RESET, T_REF = -0.054, -0.08, 0.002


def van_loan(tau, R, std, tau_s, h):
    """Mean matrix and noise covariance of (u, I) over h from one matrix exponential (Van Loan 1978)."""
    A = np.array([[-1 / tau, R / tau], [0.0, -1 / tau_s]])
    Q = np.array([[0.0, 0.0], [0.0, 2 * std**2 / tau_s]])
    M = np.zeros((4, 4))
    M[:2, :2], M[:2, 2:], M[2:, 2:] = -A, Q, A.T
    E = expm(M * h)
    F = E[2:, 2:].T
    return F, F @ E[:2, 2:]


@pytest.mark.parametrize("tau_s", [0.001, 0.005, 0.0099, 0.01, 0.0101, 0.02, 1.0])
@pytest.mark.parametrize("h", [1e-6, 1e-4, 1e-3, 0.01])
def test_the_joint_transition_matches_the_matrix_exponential(tau_s, h):
    c = joint_coefficients(TAU, R, STD, tau_s, h)
    F, S = van_loan(TAU, R, STD, tau_s, h)
    got = [c["decay_u"], c["Rc"], c["decay_I"], c["var_u"], c["cov"], c["var_I"]]
    want = [F[0, 0], F[0, 1], F[1, 1], S[0, 0], S[0, 1], S[1, 1]]
    np.testing.assert_allclose(np.array(got, dtype=float), want, rtol=1e-9)
    L = np.array([[c["L_II"], 0.0], [c["L_uI"], c["L_uu"]]])   # (I, u) order
    np.testing.assert_allclose(L @ L.T, [[S[1, 1], S[0, 1]], [S[0, 1], S[0, 0]]], rtol=1e-9, atol=1e-300)


def test_a_long_step_reaches_the_stationary_moments():
    """h >> tau, tau_s (stiff: where a matrix exponential loses the digits): the stationary covariance."""
    for tau_s in (1e-4, 0.005, 0.01, 0.0101):
        c = joint_coefficients(TAU, R, STD, tau_s, 1.0)
        assert c["var_u"] == pytest.approx((R * STD) ** 2 * tau_s / (TAU + tau_s), rel=1e-12)
        assert c["cov"] == pytest.approx(R * STD**2 * tau_s / (TAU + tau_s), rel=1e-12)
        assert c["var_I"] == pytest.approx(STD**2, rel=1e-12)


def free_membrane(method: str, dt: float, n: int = 20000):
    keys = neuron_keys(3, "ou-free", np.arange(n, dtype=np.uint64))
    mu = -0.065
    _, _, V, I = simulate(method, keys, mu, TAU, R, STD, TAU_S, np.inf, V_RESET, T_REF, 0.1, dt, V0=mu)
    return V - mu, I


@pytest.mark.parametrize("dt", [5e-4, 2e-3])
def test_stationary_current_and_free_membrane_moments_match_theory_at_any_dt(dt):
    """The OU current's mean 0 and variance std^2, V's variance (R std)^2 tau_s / (tau_m + tau_s) and the
    covariance R std^2 tau_s / (tau_m + tau_s), from 20,000 independent neurons after 10 tau_m, within
    3 standard errors of the sample moments (Gaussian: var of a sample variance 2 s^4 / n)."""
    u, I = free_membrane("exact", dt)
    n = u.size
    var_u, cov = (R * STD) ** 2 * TAU_S / (TAU + TAU_S), R * STD**2 * TAU_S / (TAU + TAU_S)
    assert abs(I.mean()) < 3 * STD / np.sqrt(n)
    assert abs(I.var() / STD**2 - 1) < 3 * np.sqrt(2 / n)
    assert abs(u.var() / var_u - 1) < 3 * np.sqrt(2 / n)
    assert abs(np.mean(u * I) - cov) < 3 * np.sqrt((var_u * STD**2 + cov**2) / n)


def test_euler_maruyama_misses_the_stationary_variance_at_a_coarse_step():
    """The same check fails for Euler-Maruyama at dt = 2 ms = 0.4 tau_s (its current variance is
    2 dt / tau_s / (1 - (1 - dt / tau_s)^2) std^2 = 1.25 std^2): the moment test can tell."""
    _, I = free_membrane("euler", 2e-3)
    assert I.var() / STD**2 - 1 > 10 * np.sqrt(2 / I.size)
    assert I.var() / STD**2 == pytest.approx(1.25, abs=5 * 1.25 * np.sqrt(2 / I.size))


def test_without_noise_spike_times_follow_the_deterministic_formula():
    """std = 0: V relaxes exponentially; the Hermite spike times give the analytical interval to ~1e-9 of it."""
    mu = -0.05
    _, times, _, _ = simulate("exact", np.arange(1, dtype=np.uint64), mu, TAU, R, 0.0, TAU_S, THETA, V_RESET, T_REF,
                              0.3, 1e-4)
    isi = T_REF + TAU * np.log((mu - V_RESET) / (mu - THETA))
    assert times.size > 5
    np.testing.assert_allclose(np.diff(times), isi, rtol=1e-9)
    assert times[0] == pytest.approx(isi - T_REF, rel=1e-9)


def test_hermite_crossing_finds_the_root_of_the_cubic():
    # V(t) = t^3 on [0, 1] with theta = 0.125: the crossing at t = 0.5
    off = hermite_crossing(np.array([0.0]), np.array([1.0]), np.array([0.0]), np.array([3.0]), 0.125, np.array([1.0]))
    assert off[0] == pytest.approx(0.5, abs=1e-7)


def test_a_neuron_draws_the_same_path_alone_and_inside_a_batch():
    keys = neuron_keys(11, "ou-split", np.arange(1500, dtype=np.uint64))
    args = (-0.055, TAU, R, STD, TAU_S, THETA, V_RESET, T_REF, 0.15, 1e-4)
    for method in ("exact", "euler"):
        idx, times, V, I = simulate(method, keys, *args)
        alone = simulate(method, keys[1234:1235], *args)
        np.testing.assert_array_equal(alone[1], np.sort(times[idx == 1234]))
        assert alone[2][0] == V[1234] and alone[3][0] == I[1234]
        again = simulate(method, keys, *args)
        np.testing.assert_array_equal(again[1], times)
        assert times.size > 100


def test_a_fast_current_fires_at_the_fourcaud_brunel_rate():
    """tau_s / tau_m = 0.05, the white-noise limit's sigma 4 mV: the ISI rate is Fourcaud and Brunel's
    (first order in sqrt(tau_s / tau_m); measured with 2000 neurons x 1 s: -0.1 % +- 0.3 %), and well away
    from the white-noise Siegert rate (-18 %). Tolerance: 3 SE and 1 % for the next order."""
    n, window, tau_s = 400, 0.4, 5e-4
    std = 0.004 / (R * np.sqrt(2 * tau_s / TAU))
    keys = neuron_keys(9, "ou-fb", np.arange(n, dtype=np.uint64))
    idx, times, _, _ = simulate("exact", keys, -0.056, TAU, R, std, tau_s, THETA, V_RESET, T_REF, window + 0.1, 5e-5)
    s = interval_sums(idx, times, n, 0.0, window)
    m = s["isi_sum"].sum() / s["n_isi"].sum()
    se = np.sqrt(s["isi_sumsq"].sum() / s["n_isi"].sum() - m * m) / m / np.sqrt(s["n_isi"].sum())   # relative
    fb = fourcaud_brunel_rate(-0.056, R, std, tau_s, THETA, V_RESET, TAU, T_REF)
    assert abs(1 / m / fb - 1) < 3 * se + 0.01
    assert 1 / m / siegert_rate(-0.056, 0.004, THETA, V_RESET, TAU, T_REF) - 1 < -0.1


def noisy(**over) -> dict:
    exp = {"kind": "noisy_fi_curve", "integrator": "exact", "neuron": {"t_ref": "2 ms"}, "burn_in": "50 ms",
           "duration": "200 ms", "isi_tail": "100 ms", "trials": 10, "noise": {"std": "0.3 nA", "tau": "5 ms"},
           "sweep": {"I_e": ["2.4 nA", "3 nA"]}}
    exp.update(over)
    return exp


def study(exp: dict):
    cfg = copy.deepcopy(default_config())
    cfg["experiments"] = {"nf": exp}
    return lifsim.load(cfg)["nf"]


def test_an_ou_current_experiment_runs_to_its_summary_and_figure():
    e = study(noisy(noise={"std": "0.3 nA"}, sweep={"I_e": ["2.4 nA", "3 nA"], "noise.tau": ["2 ms", "5 ms"]}))
    job = next(iter(e.jobs.values()))
    assert job["noise"]["std"] == pytest.approx(3e-10) and job["grid"]["tau"] == {"values": [0.002, 0.005]}
    ds = e.run()
    assert ds["window_count"].dims == ("I_e", "tau", "std", "trial")   # the grid's, then the unswept noise
    assert ds["tau"].attrs["units"] == "ms" and ds["std"].attrs["units"] == "nA"
    assert "Ornstein-Uhlenbeck" in ds.attrs["noise_convention"] and "Hermite" in ds.attrs["scheme"]
    an = e.analyse()
    assert an["rate"].dims == ("estimator", "std", "tau", "I_e") and "rate_siegert" not in an
    assert an["rate_fourcaud_brunel"].attrs["units"] == "Hz" and "rate_compare" in an
    assert (an["rate"].sel(estimator="isi", I_e=3) > 20).all()
    numbers, text = e.summarise()
    assert "Fourcaud" in text and len(numbers["measured"]["deviations"]) == 2
    assert e.figures()


@pytest.mark.parametrize("over, where, words", [
    ({"noise": {"sigma": "4 mV", "std": "0.3 nA", "tau": "5 ms"}}, "experiments.nf.noise", "got both"),
    ({"noise": {}}, "experiments.nf.noise", "got neither"),
    ({"noise": {"std": "0.3 nA"}}, "experiments.nf.noise", "got no tau"),
    ({"noise": {"std": "-0.3 nA", "tau": "5 ms"}}, "experiments.nf.noise.std", ">= 0 nA"),
    ({"noise": {"std": "0.3 nA", "tau": "0 ms"}}, "experiments.nf.noise.tau", "> 0 ms"),
    ({"noise": {"std": "0.3 mV", "tau": "5 ms"}}, "experiments.nf.noise.std", "current"),
    ({"noise": {"tau": "5 ms"}, "sweep": {"I_e": ["2 nA"], "noise.std": ["0.1 nA", "-0.1 nA"]}},
     "experiments.nf.sweep.noise.std", ">= 0 nA"),
    ({"noise": {"std": "0.3 nA", "tau": "5 ms"}, "sweep": {"I_e": ["2 nA"], "noise.sigma": ["1 mV"]}},
     "experiments.nf.noise", "got both"),
])
def test_bad_ou_noise_is_one_config_error(over, where, words):
    with pytest.raises(ConfigError) as info:
        study(noisy(**over))
    assert info.value.path == where, info.value
    assert words in info.value.message and "\n" not in str(info.value)
