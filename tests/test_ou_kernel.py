"""The compiled OU-current kernels against the NumPy reference: the same spike trains and final (V, I), bit for bit,
with refractory periods ending inside steps, whatever the batch, the block split and the thread count; the
spike buffers' growth; the kernel chooser's OU entries; the kernel as provenance of an OU job."""
import copy
import sys

import numba
import numpy as np
import pytest
from conftest import default_config

import lifsim
from lifsim.noisy.exact_noise import trains
from lifsim.noisy.kernel_choice import MODULES, choose
from lifsim.noisy.ou_current import simulate, simulate_with_info
from lifsim.rng import keys_from_points, neuron_keys

TAU, R, TAU_S, THETA, V_R, DT = 0.01, 1e7, 0.005, -0.054, -0.08, 1e-4
STDS = np.array([0.0, 0.1e-9, 0.3e-9, 0.6e-9])


def batch(n: int):
    """mu from 6 mV below to 4 mV above threshold, each std of STDS in turn (0 included), t_ref 2.03 ms (not a
    multiple of dt: refractory periods end inside steps) and 1.0 dt to 2 ms (the release step right after the
    spike's); tau_s in turn 10 ms = tau_m, 5 ms (both: the coefficients' quadrature) and 0.05 ms (the closed
    forms, |h/tau_m - h/tau_s| > 1 for the steps cut by more than half a step)."""
    mu = np.linspace(-60e-3, -50e-3, n)
    std = np.resize(STDS, n)
    t_ref = np.where(np.arange(n) % 2 == 0, 2.03e-3, np.linspace(DT, 2e-3, n))
    tau_s = np.choose(np.arange(n) % 3, [TAU, TAU_S, 5e-5])
    return neuron_keys(5, "ou-kernel-test", keys_from_points([mu, std])), mu, std, t_ref, tau_s


def run(method, keys, mu, std, t_ref, tau_s, duration=0.1, **kw):
    return simulate_with_info(method, keys, mu, TAU, R, std, tau_s, THETA, V_R, t_ref, duration, DT, **kw)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_compiled_kernel_gives_the_reference_spikes_and_state_bit_for_bit(method):
    keys, mu, std, t_ref, tau_s = batch(1500)         # two blocks, the second partial
    ref = run(method, keys, mu, std, t_ref, tau_s, kernel="numpy")
    got = run(method, keys, mu, std, t_ref, tau_s, kernel="numba")
    assert (ref[4]["kernel"], got[4]["kernel"]) == ("numpy", "numba")
    counts = np.bincount(ref[0], minlength=mu.size)
    for s in STDS:              # every std, 0 included, fires (the lowest mu's do not)
        assert counts[std == s].sum() > 50 and (counts[std == s] == 0).any()
    assert np.array_equal(counts, np.bincount(got[0], minlength=mu.size))
    for a, b in zip(ref[:4], got[:4]):               # index, time, final V, final I
        assert np.array_equal(a, b)
    if method == "exact":                            # spike times inside steps, not on the grid
        assert np.mean(np.abs(ref[1] / DT - np.rint(ref[1] / DT)) > 1e-6) > 0.9


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_a_neuron_alone_and_inside_a_large_batch_gives_the_same_train(method):
    n, j = 6000, 4321              # in the fifth block of the batch; alone it is the first and only neuron
    mu = np.linspace(-60e-3, -50e-3, n)
    keys = neuron_keys(1, "noisy_fi_curve/std=0.3nA", keys_from_points([mu]))
    args = (TAU, R, 0.3e-9, TAU_S, THETA, V_R, 2e-3, 0.15, DT)
    big = trains(*simulate(method, keys, mu, *args, kernel="numba")[:2], n)[j]
    alone = {k: simulate(method, keys[j:j + 1], mu[j], *args, kernel=k) for k in ("numba", "numpy")}
    order = [5000, 17, j, 5]
    shuffled = simulate(method, keys[order], mu[order], *args, kernel="numba")
    assert big.size > 3
    for k in ("numba", "numpy"):
        assert np.array_equal(big, alone[k][1])
    assert np.array_equal(big, trains(*shuffled[:2], 4)[2])
    assert alone["numba"][2][0] == alone["numpy"][2][0] == shuffled[2][2]        # final V
    assert alone["numba"][3][0] == alone["numpy"][3][0] == shuffled[3][2]        # final I


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_the_thread_count_does_not_change_the_spikes():
    keys, mu, std, t_ref, tau_s = batch(4100)           # five blocks
    before = numba.get_num_threads()
    try:
        one = run("exact", keys, mu, std, t_ref, tau_s, duration=0.05, kernel="numba", threads=1)
        two = run("exact", keys, mu, std, t_ref, tau_s, duration=0.05, kernel="numba", threads=2)
    finally:
        numba.set_num_threads(before)
    assert (one[4]["threads"], two[4]["threads"]) == (1, 2)
    assert one[0].size > 1000
    for a, b in zip(one[:4], two[:4]):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("method", ["exact", "euler"])
def test_spike_buffers_grow_and_the_blocks_resume(method):
    # mu = 0.5 V, t_ref = 0.5 ms: ~1 kHz; 40 neurons x 0.15 s over twice what a block's first buffer holds
    n = 40
    keys = neuron_keys(2, "fast-ou", keys_from_points([np.arange(n, dtype=np.float64)]))
    args = (method, keys, 0.5, TAU, R, 0.3e-9, TAU_S, THETA, V_R, 5e-4, 0.15, DT)
    ref, got = simulate(*args, kernel="numpy"), simulate(*args, kernel="numba")
    assert ref[0].size > 2 * (2 * 1024 + 64)
    for a, b in zip(ref, got):
        assert np.array_equal(a, b)


def test_the_chooser_weighs_the_compiled_ou_kernels_start_up(monkeypatch):
    monkeypatch.delenv("LIFSIM_KERNEL", raising=False)
    for module in MODULES.values():                   # as in a fresh process
        monkeypatch.delitem(sys.modules, module, raising=False)
    for method in ("ou_exact", "ou_euler"):
        assert choose(method, 1, 200) == "numpy"      # one neuron, a short run: less than the kernel's start
        assert choose(method, 100_000, 10_000) == "numba"
    monkeypatch.setenv("LIFSIM_KERNEL", "numpy")
    assert choose("ou_exact", 100_000, 10_000) == "numpy"
    monkeypatch.setenv("LIFSIM_KERNEL", "numba")
    assert choose("ou_euler", 1, 10) == "numba"
    assert run("euler", *batch(3), duration=0.001)[4]["kernel"] == "numba"


def test_ou_datasets_name_their_kernel(monkeypatch):
    cfg = copy.deepcopy(default_config())
    cfg["experiments"] = {"nf": {"kind": "noisy_fi_curve", "integrator": "exact", "neuron": {"t_ref": "2 ms"},
                                 "burn_in": "0 ms", "duration": "50 ms", "isi_tail": "0 ms", "trials": 3,
                                 "noise": {"std": "0.3 nA", "tau": "5 ms"}, "sweep": {"I_e": ["2.4 nA", "3 nA"]}}}
    monkeypatch.setenv("LIFSIM_KERNEL", "numba")
    e = lifsim.load(cfg)["nf"]
    job = next(iter(e.jobs))
    assert e.job(job).attrs["kernel"] == "numba" and e.job(job).attrs["kernel_threads"] >= 1
    assert e.run().attrs["kernel"] == "numba"
    monkeypatch.setenv("LIFSIM_KERNEL", "numpy")
    again = lifsim.load(cfg)["nf"]
    assert again.job(job).attrs["kernel"] == "numpy"
    assert np.array_equal(again.run()["spike_time"].values, e.run()["spike_time"].values)
