"""Window statistics tallied inside the compiled white-noise kernels (lifsim.noisy.tallies) against
lifsim.noisy.points.interval_sums of the recorded spikes: the same numbers bit for bit, for both schemes,
with and without a stimulus, refractory periods that end inside a step, a window whose ends lie inside steps,
and a point alone or inside a large batch; and a job without recorded spikes stores the same statistics."""
import copy

import numpy as np
import pytest
from conftest import default_config

import lifsim
from lifsim.noisy.exact_noise import simulate, simulate_sums
from lifsim.noisy.points import interval_sums
from lifsim.rng import keys_from_points, neuron_keys

THETA, V_R, TAU, DT, R_IN = -54e-3, -80e-3, 10e-3, 1e-4, 1e8
T_REF = 2.03e-3                # not a whole number of steps: the exact scheme's refractory periods end inside steps
WINDOW = (0.02004, 0.1203)     # both ends inside a step
STIMULUS = [{"kind": "step", "amplitude": 0.05e-9, "start": 0.01003, "stop": 0.05},
            {"kind": "sine", "amplitude": 0.02e-9, "frequency": 30.0, "phase": 0.3, "offset": 0.01e-9, "start": 0.0,
             "stop": 0.1}]
KEYS = ("count", "n_isi", "isi_sum", "isi_sumsq", "censored")


def batch(n: int):
    mu = np.linspace(-60e-3, -46e-3, n)
    sigma = np.resize(np.array([0.0, 2e-3, 4e-3, 8e-3]), n)
    return neuron_keys(7, "tally-test", keys_from_points([mu, sigma])), mu, sigma


def both(method, keys, mu, sigma, kernel="numba", **kw):
    """(tallied sums, interval_sums of the recorded spikes) of the same run."""
    args = (method, keys, mu, TAU, sigma, THETA, V_R, T_REF if method == "exact" else 2e-3, 0.15, DT)
    sums, info = simulate_sums(*args, WINDOW, kernel=kernel, **kw)
    index, times = simulate(*args, kernel=kernel, **kw)
    return sums, interval_sums(index, times, keys.size, *WINDOW), info


def assert_identical(sums, reference):
    for key in KEYS:
        assert sums[key].dtype == reference[key].dtype, key
        assert np.array_equal(sums[key], reference[key]), key


@pytest.mark.parametrize("method", ["exact", "euler"])
@pytest.mark.parametrize("stimulus", [False, True])
def test_tallies_are_the_interval_sums_of_the_recorded_spikes(method, stimulus):
    keys, mu, sigma = batch(3000)              # three blocks
    kw = {"R_in": R_IN, "components": STIMULUS} if stimulus else {}
    sums, reference, info = both(method, keys, mu, sigma, **kw)
    assert info["kernel"] == "numba"
    assert_identical(sums, reference)
    # the statistics are not trivial: many intervals, censored spikes, silent neurons, every sigma firing
    assert reference["n_isi"].sum() > 5000 and reference["censored"].sum() > 200
    assert (reference["count"] == 0).any() and (reference["count"] > reference["n_isi"]).any()
    for s in np.unique(sigma):
        assert reference["count"][sigma == s].sum() > 100


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_the_numpy_reference_gives_the_same_sums(method):
    keys, mu, sigma = batch(200)
    compiled, _, _ = both(method, keys, mu, sigma)
    reference, recorded, info = both(method, keys, mu, sigma, kernel="numpy")
    assert info["kernel"] == "numpy" and recorded["n_isi"].sum() > 300
    assert_identical(compiled, reference)
    assert_identical(compiled, recorded)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_a_point_alone_tallies_as_inside_a_big_batch(method):
    keys, mu, sigma = batch(5000)
    j = 4321
    big, recorded, _ = both(method, keys, mu, sigma)        # noiseless neurons fill blocks of their own here
    alone, _, _ = both(method, keys[j:j + 1], mu[j:j + 1], sigma[j:j + 1])
    assert big["n_isi"][j] > 3 and recorded["n_isi"][sigma == 0].sum() > 500
    assert_identical(big, recorded)
    for key in KEYS:
        assert np.array_equal(big[key][j:j + 1], alone[key]), key


def test_a_job_without_spike_times_stores_the_same_statistics(monkeypatch):
    cfg = copy.deepcopy(default_config())
    experiment = {"kind": "noisy_fi_curve", "integrator": "exact", "neuron": {"t_ref": "2 ms"}, "burn_in": "10 ms",
                  "duration": "100 ms", "isi_tail": "10 ms", "trials": 3, "compare_with": "none",
                  "sweep": {"I_e": ["2.4 nA", "3 nA"], "noise.sigma": ["0 mV", "4 mV"]}}
    monkeypatch.setenv("LIFSIM_KERNEL", "numba")
    jobs = {}
    for record in (True, False):
        cfg["experiments"] = {"nf": {**experiment, "record_spikes": record}}
        e = lifsim.load(cfg)["nf"]
        (job,) = e.jobs
        jobs[record] = e.job(job)
    assert "spike_time" in jobs[True] and "spike_time" not in jobs[False]
    assert int(jobs[True]["n_isi"].sum()) > 30
    for name in ("window_count", "n_isi", "isi_sum", "isi_sumsq", "censored"):
        assert jobs[False][name].dtype == jobs[True][name].dtype
        assert np.array_equal(jobs[False][name].values, jobs[True][name].values), name
        assert jobs[False][name].attrs == jobs[True][name].attrs
    assert jobs[False].attrs["kernel"] == "numba" and jobs[False].attrs["kernel_threads"] >= 1
