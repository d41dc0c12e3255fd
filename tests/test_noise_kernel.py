"""The compiled white-noise kernels against the NumPy reference: the same spike trains (bit for bit without a
stimulus, to rounding with one), whatever the batch, its order, the block split and the thread count; the
spike buffers' growth; the kernel chooser; the kernel as provenance."""
import copy
import importlib
import sys

import numba
import numpy as np
import pytest
from conftest import default_config

import lifsim
from lifsim.noisy.exact_noise import simulate, simulate_with_info, trains
from lifsim.noisy.kernel_choice import MODULES, choose
from lifsim.noisy.noise_blocks import BLOCK
from lifsim.rng import keys_from_points, neuron_keys

THETA, V_R, TAU, T_REF, DT, R_IN = -54e-3, -80e-3, 10e-3, 2e-3, 1e-4, 1e8
SIGMAS = np.array([0.0, 1e-3, 4e-3, 8e-3])
STIMULUS = [{"kind": "step", "amplitude": 0.05e-9, "start": 0.01003, "stop": 0.05},
            {"kind": "sine", "amplitude": 0.02e-9, "frequency": 30.0, "phase": 0.3, "offset": 0.01e-9, "start": 0.0,
             "stop": 0.1},
            {"kind": "pulses", "amplitude": 0.04e-9, "width": 0.003, "period": 0.0104, "start": 0.02, "stop": 0.09},
            {"kind": "ramp", "from": 0.0, "to": 0.03e-9, "start": 0.005, "stop": 0.08}]


def batch(n: int):
    """mu from 4 mV below to 4 mV above threshold, each sigma of SIGMAS in turn (0 included): many neurons
    spend the run near threshold, where the bridge test and the spike time inside the step decide."""
    mu = np.linspace(-58e-3, -50e-3, n)
    sigma = np.resize(SIGMAS, n)
    return neuron_keys(5, "kernel-test", keys_from_points([mu, sigma])), mu, sigma


def run(method, keys, mu, sigma, duration=0.1, **kw):
    return simulate_with_info(method, keys, mu, TAU, sigma, THETA, V_R, T_REF, duration, DT, **kw)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_compiled_kernel_gives_the_reference_spikes_bit_for_bit(method):
    keys, mu, sigma = batch(800)
    i_np, t_np, info_np = run(method, keys, mu, sigma, kernel="numpy")
    i_nb, t_nb, info_nb = run(method, keys, mu, sigma, kernel="numba")
    assert (info_np["kernel"], info_nb["kernel"]) == ("numpy", "numba")
    counts = np.bincount(i_np, minlength=mu.size)
    for s in SIGMAS:            # every sigma, 0 included, fires (the lowest mu's do not)
        assert counts[sigma == s].sum() > 20 and (counts[sigma == s] == 0).any()
    assert np.array_equal(i_np, i_nb) and np.array_equal(t_np, t_nb)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_noiseless_neurons_in_blocks_of_their_own_give_the_reference_spikes(method):
    # the kernel runs sigma = 0 after the other neurons: more of them than a block holds make blocks without draws
    keys, mu, sigma = batch(5000)
    assert (sigma == 0).sum() > BLOCK and (sigma > 0).sum() % BLOCK != 0     # noiseless-only and mixed blocks
    i_np, t_np, _ = run(method, keys, mu, sigma, kernel="numpy")
    i_nb, t_nb, _ = run(method, keys, mu, sigma, kernel="numba")
    assert np.bincount(i_np, minlength=mu.size)[sigma == 0].sum() > 500
    assert np.array_equal(i_np, i_nb) and np.array_equal(t_np, t_nb)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_with_stimulus_components_the_kernels_agree_to_rounding(method):
    keys, mu, sigma = batch(400)
    i_np, t_np, _ = run(method, keys, mu - 3e-3, sigma, R_in=R_IN, components=STIMULUS, kernel="numpy")
    i_nb, t_nb, _ = run(method, keys, mu - 3e-3, sigma, R_in=R_IN, components=STIMULUS, kernel="numba")
    without = run(method, keys, mu - 3e-3, sigma, kernel="numba")[0]
    assert i_np.size > 1.5 * without.size           # the stimulus drives the spikes
    # the stimulus' exp and sin: NumPy's there, libm's here (differences of an ulp or so)
    assert np.array_equal(i_np, i_nb) and np.allclose(t_np, t_nb, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_a_point_alone_and_inside_a_10000_neuron_batch_gives_the_same_train(method):
    mu = np.linspace(-60e-3, -50e-3, 10_000)
    keys = neuron_keys(1, "noisy_fi_curve/sigma=4mV", keys_from_points([mu]))
    j = 4321                     # in the fifth block of the batch, the first (and only) neuron alone
    big = trains(*simulate(method, keys, mu, TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT, kernel="numba"), mu.size)[j]
    alone = {k: trains(*simulate(method, keys[j:j + 1], mu[j], TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT, kernel=k), 1)[0]
             for k in ("numba", "numpy")}
    order = [9000, 17, j, 5]
    shuffled = trains(*simulate(method, keys[order], mu[order], TAU, 4e-3, THETA, V_R, T_REF, 0.2, DT,
                                kernel="numba"), 4)[2]
    assert big.size > 3
    assert np.array_equal(big, alone["numba"]) and np.array_equal(big, alone["numpy"])
    assert np.array_equal(big, shuffled)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_the_thread_count_does_not_change_the_spikes():
    keys, mu, sigma = batch(5000)               # five blocks
    before = numba.get_num_threads()
    try:
        one = run("exact", keys, mu, sigma, kernel="numba", threads=1)
        two = run("exact", keys, mu, sigma, kernel="numba", threads=2)
    finally:
        numba.set_num_threads(before)
    assert (one[2]["threads"], two[2]["threads"]) == (1, 2)
    assert one[0].size > 1000 and np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_spike_buffers_grow_and_the_blocks_resume(method):
    # ~130 Hz for 0.3 s: ~8,000 spikes, four times what a block's first buffer holds
    n = 200
    keys = neuron_keys(2, "fast", keys_from_points([np.arange(n, dtype=np.float64)]))
    args = (method, keys, -20e-3, TAU, 2e-3, THETA, V_R, T_REF, 0.3, DT)
    i_np, t_np = simulate(*args, kernel="numpy")
    i_nb, t_nb = simulate(*args, kernel="numba")
    assert i_np.size > 6_000 and np.array_equal(i_np, i_nb) and np.array_equal(t_np, t_nb)


def test_the_chooser_weighs_the_compiled_kernels_start_up(monkeypatch):
    monkeypatch.delenv("LIFSIM_KERNEL", raising=False)
    importlib.import_module(MODULES["exact"])
    assert choose("exact", 1, 2000) == "numba"      # loaded in this process already: it costs nothing more
    for module in MODULES.values():                 # as in a fresh process
        monkeypatch.delitem(sys.modules, module, raising=False)
    assert choose("exact", 1, 2000) == "numpy"      # one neuron: NumPy's cost per step is less than the load
    assert choose("exact", 100_000, 10_000) == "numba"
    assert choose("euler", 100_000, 10_000) == "numba"
    monkeypatch.setenv("LIFSIM_KERNEL", "numpy")
    assert choose("exact", 100_000, 10_000) == "numpy"
    monkeypatch.setenv("LIFSIM_KERNEL", "numba")
    assert choose("exact", 1, 10) == "numba"


def test_noisy_fi_datasets_name_their_kernel(monkeypatch):
    cfg = copy.deepcopy(default_config())
    cfg["experiments"] = {"nf": {"kind": "noisy_fi_curve", "integrator": "exact", "neuron": {"t_ref": "2 ms"},
                                 "burn_in": "0 ms", "duration": "50 ms", "isi_tail": "0 ms", "trials": 3,
                                 "compare_with": "none", "sweep": {"I_e": ["2.4 nA", "3 nA"],
                                                                   "noise.sigma": ["4 mV"]}}}
    monkeypatch.setenv("LIFSIM_KERNEL", "numba")
    e = lifsim.load(cfg)["nf"]
    (job,) = e.jobs
    assert e.job(job).attrs["kernel"] == "numba" and e.job(job).attrs["kernel_threads"] >= 1
    assert e.run().attrs["kernel"] == "numba"
    monkeypatch.setenv("LIFSIM_KERNEL", "numpy")
    again = lifsim.load(cfg)["nf"]
    assert again.job(job).attrs["kernel"] == "numpy"
    assert np.array_equal(again.run()["spike_time"].values, e.run()["spike_time"].values)
