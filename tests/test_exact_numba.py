"""The compiled exact kernel against the NumPy one, weighted coupling, and the kernel as provenance.

Tolerance for "the same to rounding": both kernels evaluate the same expressions of lifsim.model; they
differ by the last bit of exp/expm1 (Numba's library and the series of the free step, 1 ulp), by the
order of simultaneous additions, and by when the crossing solver stops (relative 1e-13 of a step, i.e.
1e-17 s at dt = 0.1 ms). Such differences are ~1e-17 V and ~1e-17 s per step, and the exact propagator
contracts them (|dV(t+h)/dV(t)| = e^{-a h} < 1), so they do not grow. The bound used, 1e-12 (s for
spike times, relative to the largest value for traces), leaves three orders of magnitude above the
differences seen (below 1e-15) and is 1e6 times below the method's own error at dt = 0.1 ms (~1 us).
"""
import numpy as np
import pytest
from params_helper import job

from lifsim.reference import solve_reference
from lifsim.sim import SimulationError, from_params, simulate
from lifsim.sim.exact import run_exact
from lifsim.sim.exact_numba import run_exact_numba

TOL = 1e-12


def pair(E_syn=0.0, t_ref=0.0, duration=0.5, **extra):
    return job(n=2, dim="neuron", dt=1e-4, duration=duration, reset=True, integrator="exact", record=("V", "g_syn"),
               E_m=-0.07, V_reset=-0.07, I_e=3.5e-9, E_syn=E_syn, t_ref=t_ref,
               V_init={"values": [-0.06, -0.07]}, coupling=extra.pop("coupling", [[0, 1], [1, 0]]), **extra)


CASES = {
    "fi-sweep-tref": job(dt=1e-4, duration=0.5, reset=True, integrator="exact", record=("V",), t_ref=2e-3,
                         sweep={"I_e": list(np.linspace(0, 5e-9, 60))}),
    "synaptic": job(dt=1e-4, duration=0.1, spikes=[0.01, 0.02345, 0.05], integrator="exact", g_exc=5e-9,
                    record=("V", "g_syn", "x", "I_syn", "I_m")),
    "pair-excitatory-tref": pair(t_ref=2e-3),
    "pair-inhibitory": pair(E_syn=-0.08),
}


def assert_same_to_rounding(a, c):
    np.testing.assert_array_equal(a.spike_neuron, c.spike_neuron)
    np.testing.assert_allclose(c.spike_time, a.spike_time, rtol=0, atol=TOL)
    for name in a.traces:
        scale = np.abs(a.traces[name]).max() or 1.0
        np.testing.assert_allclose(c.traces[name], a.traces[name], rtol=0, atol=TOL * scale)
    np.testing.assert_allclose(c.runaway_onset, a.runaway_onset, rtol=0, atol=TOL, equal_nan=True)


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_exact_kernel_agrees_with_the_numpy_kernel(case):
    b = from_params(CASES[case])
    a, c = run_exact(b), run_exact_numba(b)
    assert a.spike_time.size > 0 or case == "synaptic"
    assert_same_to_rounding(a, c)
    assert (a.info["kernel"], c.info["kernel"]) == ("numpy", "numba")


def test_blocks_threads_events_inside_steps_and_a_growing_spike_buffer():
    b = from_params(job(dt=1e-4, duration=0.1, reset=True, integrator="exact", record=("V",), g_star=5e-9,
                        t_ref=1e-3, sweep={"I_e": list(np.linspace(2e-9, 6e-9, 300))}))
    rng = np.random.default_rng(3)
    m = 3000
    t, target = rng.uniform(0, 0.1, m), rng.integers(0, b.n, m)
    t[:50] = np.round(t[:50] / b.dt) * b.dt                   # some on the grid
    order = np.argsort(t)
    b.ext_time, b.ext_target = t[order], target[order]
    a, c = run_exact(b), run_exact_numba(b, block=32)         # ten blocks, each with a small buffer
    assert a.spike_time.size > 2000
    assert_same_to_rounding(a, c)


def test_runaway_and_non_finite_values_fail_loudly(monkeypatch):
    from lifsim.sim import exact

    monkeypatch.setattr(exact, "MAX_SPIKES_PER_STEP", 4)
    with pytest.raises(SimulationError, match="fired more than 4 times within one time step"):
        run_exact_numba(from_params(pair(g_star=60e-9, duration=0.2)))
    bad = from_params(job(duration=0.01, integrator="exact", record=("V",), I_e=1e300, tau_m=1e-9,
                          V_init={"values": [0.0]}))
    with pytest.raises(SimulationError, match="non-finite membrane potential at step"), \
            np.errstate(over="ignore", invalid="ignore"):
        run_exact_numba(bad)


# --- weighted coupling ---------------------------------------------------------------------------------

def chain(weights: bool, integrator="exact"):
    w = 40e-9 if weights else 1
    params = job(n=3, dim="neuron", dt=1e-4, duration=0.3, reset=True, integrator=integrator, record=("V",),
                 E_m=-0.07, V_reset=-0.07, I_e=3.5e-9, t_ref=2e-3, g_star=40e-9,
                 V_init={"values": [-0.06, -0.065, -0.07]}, coupling=[[0, 0, 0], [w, 0, 0], [0, w, 0]])
    return {**params, "coupling_weights": weights}


def test_weights_equal_to_g_star_give_bit_identical_results_in_every_kernel():
    from lifsim.sim.euler import run_euler
    from lifsim.sim.euler_numba import run_euler_numba

    for integrator, kernels in (("euler", (run_euler, run_euler_numba)), ("exact", (run_exact, run_exact_numba))):
        ones, siemens = from_params(chain(False, integrator)), from_params(chain(True, integrator))
        np.testing.assert_array_equal(ones.weight, siemens.weight)
        for run in kernels:
            a, c = run(ones), run(siemens)
            np.testing.assert_array_equal(a.spike_time, c.spike_time)
            np.testing.assert_array_equal(a.traces["V"], c.traces["V"])


def test_conductance_weights_per_edge_drive_their_target_as_the_reference_says():
    params = chain(True)
    params["coupling"] = [[0, 0, 0], [60e-9, 0, 0], [0, 20e-9, 0]]       # two different weights
    b = from_params(params)
    np.testing.assert_array_equal(b.weight, [60e-9, 20e-9])
    ref = solve_reference(b)
    for r in (run_exact(b), run_exact_numba(b)):
        for i in range(3):
            t, t_ref = r.spike_time[r.spike_neuron == i], ref.spike_time[ref.spike_neuron == i]
            assert t.size == t_ref.size > 5
            assert np.abs(t - t_ref).max() <= 10e-6                   # the exact method's 10 us target
    swapped = dict(params, coupling=[[0, 0, 0], [20e-9, 0, 0], [0, 60e-9, 0]])
    assert not np.array_equal(run_exact_numba(from_params(swapped)).spike_time, ref.spike_time)


def test_a_swept_g_star_sets_each_point_s_weights():
    params = job(dt=1e-4, duration=0.05, reset=True, integrator="exact", record=(), I_e=3.5e-9,
                 sweep={"g_star": [10e-9, 20e-9]}, coupling=[[0, 1], [1, 0]])
    params["batch"]["per_point"] = 2
    params["batch"]["size"] = 4
    b = from_params(params)
    np.testing.assert_array_equal(b.post, [0, 1, 2, 3])
    np.testing.assert_array_equal(b.weight, [10e-9, 10e-9, 20e-9, 20e-9])


# --- the kernel is provenance --------------------------------------------------------------------------

@pytest.mark.parametrize("integrator", ["euler", "exact"])
def test_datasets_of_the_two_kernels_agree_and_name_their_kernel(integrator):
    from lifsim.dataset import job_variables

    params = {**CASES["pair-excitatory-tref"], "integrator": integrator}
    content = {k: job_variables(params, simulate(params, kernel=k, threads=1)) for k in ("numpy", "numba")}
    a, c = content["numpy"], content["numba"]
    assert (a["attrs"]["kernel"], c["attrs"]["kernel"]) == ("numpy", "numba")
    assert a["attrs"]["kernel_threads"] == c["attrs"]["kernel_threads"] == 1
    assert {k: v for k, v in a["attrs"].items() if k != "kernel"} == \
        {k: v for k, v in c["attrs"].items() if k != "kernel"}
    assert a["data_vars"].keys() == c["data_vars"].keys() and a["coords"].keys() == c["coords"].keys()
    for part in ("coords", "data_vars"):
        for name, (dims, data, attrs, _) in a[part].items():
            other = c[part][name]
            assert (dims, attrs) == (other[0], other[2])
            scale = np.nanmax(np.abs(data)) if np.size(data) and np.isfinite(data).any() else 1.0
            np.testing.assert_allclose(other[1], data, rtol=0, atol=TOL * (scale or 1.0), equal_nan=True)


# --- what the compiled kernels share between neurons, blocks and threads ---------------------------------

def sweep_batch(n: int, integrator: str, extra=()):
    return from_params(job(dt=1e-4, duration=0.2, reset=True, integrator=integrator, record=("V", "g_syn"),
                           spikes=[0.01, 0.0523], t_ref=1e-3,
                           sweep={"I_e": [*np.linspace(2e-9, 5e-9, n), *extra]}))


@pytest.mark.parametrize("integrator", ["euler", "exact"])
def test_a_neurons_result_does_not_depend_on_its_batch_mates_blocks_or_threads(integrator):
    """The kernels pass constants that all neurons share as numbers (``jit.shared_or_each``): here only I_e
    differs. One neuron more with another tau_syn makes every constant per neuron; split into blocks of 16
    on two threads or run in one block, the first 40 neurons must give the same bits."""
    from lifsim.sim.euler_numba import run_euler_numba

    run = {"euler": run_euler_numba, "exact": run_exact_numba}[integrator]
    shared, each = sweep_batch(40, integrator), sweep_batch(40, integrator, extra=[3e-9])
    each.p["tau_syn"] = np.r_[np.full(40, each.p["tau_syn"]), 2 * each.p["tau_syn"]]
    a = run(shared, threads=1)
    assert a.spike_time.size > 100
    for other in (run(each, threads=1), run(each, block=16, threads=2)):
        mine = other.spike_neuron < 40
        np.testing.assert_array_equal(other.spike_neuron[mine], a.spike_neuron)
        np.testing.assert_array_equal(other.spike_time[mine], a.spike_time)
        for name in a.traces:
            np.testing.assert_array_equal(other.traces[name][:, :40], a.traces[name])


def test_spike_statistics_without_spike_times_are_those_of_the_spike_times():
    b = sweep_batch(60, "exact")
    kept, summed = run_exact_numba(b), run_exact_numba(b, spikes=False)
    assert kept.summary is None and summed.spike_time.size == 0
    want, got = kept.spike_summary(), summed.spike_summary()
    np.testing.assert_array_equal(got["spike_count"], want["spike_count"])
    for key in ("first_spike", "last_spike", "mean_isi"):
        np.testing.assert_allclose(got[key], want[key], rtol=1e-13, atol=0, equal_nan=True)
    # the spread from sums of squares has a rounding error of order sqrt(eps) times the interval (~1.5e-10 s
    # here), both in the kernel and in result.summarise
    np.testing.assert_allclose(got["isi_std"], want["isi_std"], rtol=0, atol=1e-9, equal_nan=True)


def test_presynaptic_spikes_after_the_end_of_the_run_are_ignored():
    b = from_params(job(dt=1e-4, duration=0.02, integrator="exact", record=("V", "g_syn"), spikes=[0.005, 0.5]))
    a, c = run_exact(b), run_exact_numba(b)
    assert a.traces["g_syn"].max() > 0
    assert_same_to_rounding(a, c)


def test_the_compiled_kernels_start_numba_without_scipy_linalg():
    """Numba probes for a BLAS through scipy.linalg when it starts (~0.2 s); lifsim.sim.jit makes it skip that."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from lifsim.sim.batch import from_params; from lifsim.sim.exact_numba import run_exact_numba; "
            f"run_exact_numba(from_params({job(integrator='exact', duration=0.01)!r})); "
            "print('numba' in sys.modules, 'scipy.linalg' in sys.modules)")
    workflow = Path(__file__).resolve().parents[1] / "workflow"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=workflow)
    assert out.stdout.split() == ["True", "False"]
