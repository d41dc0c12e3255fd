"""The reference white-noise integrators against the Siegert rate, split independence, Campbell's theorem."""
import numpy as np
import pytest

from lifsim.analysis.siegert import deterministic_rate, siegert_rate
from lifsim.noisy.exact_noise import simulate, trains
from lifsim.noisy.isi import isi_rate
from lifsim.noisy.poisson import cascade_moments, event_times
from lifsim.rng import keys_from_points, neuron_keys

THETA, V_R, TAU, T_REF, DT = -54e-3, -80e-3, 10e-3, 2e-3, 1e-4
# burn-in 0.2 s; ISIs that start in [0.2 s, 1.7 s] and end before 2.2 s (a 0.5 s tail: an ISI that long
# has probability ~1e-5 at 24 Hz, checked through `censored`)
BURN, STOP, DURATION = 0.2, 1.7, 2.2


def point_keys(mu, n_per_point, seed=1):
    return neuron_keys(seed, "noisy_fi_curve/sigma=4mV", keys_from_points([mu], per_point=n_per_point))


@pytest.fixture(scope="module")
def runs():
    n = 2000
    keys = point_keys(np.array([-56e-3]), n)
    # the compiled kernels (4.4e7 neuron-steps each): the NumPy reference gives the same spikes (test_noise_kernel)
    return {m: isi_rate(*simulate(m, keys, -56e-3, TAU, 4e-3, THETA, V_R, T_REF, DURATION, DT, kernel="numba"), n,
                        BURN, STOP) for m in ("exact", "euler")}


def test_exact_scheme_meets_the_accuracy_goal(runs):
    r, theory = runs["exact"], siegert_rate(-56e-3, 4e-3, THETA, V_R, TAU, T_REF)
    assert r["censored"] == 0 and r["n_isi"] > 50_000
    assert abs(r["rate"] - theory) <= max(0.005 * theory, 3 * r["se"]), (r, theory)


def test_euler_maruyama_is_biased_low(runs):
    r, theory = runs["euler"], siegert_rate(-56e-3, 4e-3, THETA, V_R, TAU, T_REF)
    assert r["censored"] == 0
    assert theory - r["rate"] > 5 * r["se"] and -0.06 < r["rate"] / theory - 1 < -0.025, (r, theory)


def test_same_point_alone_and_inside_a_large_batch():
    mu = np.linspace(-60e-3, -50e-3, 10_000)
    keys = point_keys(mu, 1)
    j = 4321
    big = trains(*simulate("exact", keys, mu, TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT), mu.size)[j]
    alone = trains(*simulate("exact", keys[j:j + 1], mu[j], TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT), 1)[0]
    assert big.size > 3 and np.array_equal(big, alone)
    # and in a small batch in another order
    order = [j, 17, 9000, 5]
    small = trains(*simulate("exact", keys[order], mu[order], TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT), 4)[0]
    assert np.array_equal(small, alone)


def test_without_noise_the_exact_scheme_is_the_closed_form():
    mu = -50e-3
    idx, t = simulate("exact", point_keys(np.array([mu]), 1), mu, TAU, 0.0, THETA, V_R, T_REF, 0.5, DT)
    period = 1.0 / deterministic_rate(mu, THETA, V_R, TAU, T_REF)
    first = period - T_REF
    assert t == pytest.approx(first + period * np.arange(t.size), abs=1e-12)


def test_refractory_period_must_cover_a_step():
    with pytest.raises(ValueError, match="t_ref >= dt"):
        simulate("exact", point_keys(np.array([0.0]), 1), -56e-3, TAU, 4e-3, THETA, V_R, 0.0, 0.01, DT)


def test_campbell_theorem_for_the_cascade():
    nu, g_star, tau, n, steps, burn = 800.0, 1e-9, 5e-3, 1000, 20_000, 1000
    keys = neuron_keys(3, "poisson_input", keys_from_points([np.zeros(1)], per_point=n))
    mean_i, msq_i = cascade_moments(keys, nu, g_star, tau, DT, steps, burn)
    mean, var = nu * g_star * tau, nu * g_star**2 * tau / 4
    grand = mean_i.mean()
    assert abs(grand - mean) < 4 * mean_i.std(ddof=1) / np.sqrt(n)
    # variance about the pooled mean = each neuron's own variance + the spread of the time averages
    # (which the own variance misses, ~4 tau / duration); SE from the statistics of both terms
    own = msq_i - mean_i**2
    spread = mean_i.var(ddof=1)
    measured = own.mean() + spread
    se = np.hypot(own.std(ddof=1) / np.sqrt(n), spread * np.sqrt(2 / (n - 1)))
    assert se < 0.01 * var and abs(measured - var) < 4 * se


def test_poisson_event_times():
    nu, n, steps = 800.0, 400, 5000
    keys = neuron_keys(4, "poisson_input", keys_from_points([np.zeros(1)], per_point=n))
    idx, t = event_times(keys, nu, DT, steps)
    expected = nu * n * steps * DT
    assert abs(t.size - expected) < 4 * np.sqrt(expected)
    frac = (t / DT) % 1.0                  # offsets uniform within their steps
    assert abs(frac.mean() - 0.5) < 4 * np.sqrt(1 / 12 / t.size)
    alone = event_times(keys[7:8], nu, DT, steps)[1]
    assert np.array_equal(np.sort(t[idx == 7]), np.sort(alone))


def test_step_current_switches_inside_a_step():
    """sigma = 0, rest 6 mV below threshold, a 10 mV step (R_in I) at 50.03 ms: the closed-form first spike."""
    from lifsim.analysis.theory import first_spike_time
    R_in, mu = 100e6, -60e-3
    step = [{"kind": "step", "amplitude": 0.1e-9, "start": 0.05003, "stop": 0.2}]
    idx, t = simulate("exact", point_keys(np.array([mu]), 1), mu, TAU, 0.0, THETA, V_R, T_REF, 0.2, DT,
                      R_in=R_in, components=step, V0=mu)
    expected = 0.05003 + first_spike_time(mu, mu + R_in * 0.1e-9, THETA, TAU)
    assert t[0] == pytest.approx(expected, abs=1e-12)
