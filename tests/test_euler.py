"""Forward Euler against closed forms, with tolerances from its first order, and its invariants."""
import math

import numpy as np
import pytest
from params_helper import job

from lifsim.analysis.rates import analytical_rate
from lifsim.sim import simulate


def relax_error(dt):
    r = simulate(job(dt=dt, duration=0.05, V_init={"values": [-0.06]}, record=("V",)))
    exact = -0.08 + 0.02 * np.exp(-r.times / 0.01)
    return np.abs(r.traces["V"][:, 0] - exact).max()


def test_passive_relaxation_matches_closed_form_to_first_order():
    dt = 1e-4
    err = relax_error(dt)
    # Euler's global error for dV/dt = -(V - E)/tau peaks at |V0 - E| dt / (2 tau e) (+ O(dt^2)).
    bound = 0.02 * dt / (2 * 0.01 * math.e)
    assert 0.8 * bound < err < 1.1 * bound


def test_euler_is_first_order():
    errs = [relax_error(dt) for dt in (2e-4, 1e-4, 5e-5)]
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.05)
    assert errs[1] / errs[2] == pytest.approx(2.0, rel=0.05)


def alpha_error(dt):
    r = simulate(job(dt=dt, duration=0.06, spikes=[0.0], record=("g_syn", "x")))
    t = r.times
    g_exact = 30e-9 * (t / 0.01) * np.exp(-t / 0.01)
    return r, np.abs(r.traces["g_syn"][:, 0] - g_exact).max()


def test_alpha_kernel_after_one_spike():
    r, err = alpha_error(1e-4)
    g = r.traces["g_syn"][:, 0]
    x = r.traces["x"][:, 0]
    assert x[0] == pytest.approx(30e-9)                     # the jump happens at the spike time
    k = int(np.argmax(g))
    assert abs(r.times[k] - 0.01) <= 1e-4 + 1e-12           # peak at tau_syn, within one step
    # relative error of the peak of the order of dt / tau_syn
    assert g[k] == pytest.approx(30e-9 / math.e, rel=2 * 1e-4 / 0.01)
    _, err_half = alpha_error(5e-5)
    assert err / err_half == pytest.approx(2.0, rel=0.1)


CURRENTS = [2.7e-9, 3e-9, 4e-9, 5e-9]


def test_constant_current_rate_matches_analytical_within_one_step_per_interval():
    dt = 1e-4
    r = simulate(job(dt=dt, duration=1.0, reset=True, record=(), sweep={"I_e": CURRENTS}))
    for i, I in enumerate(CURRENTS):
        t = r.spike_time[r.spike_neuron == i]
        rate = (t.size - 1) / (t[-1] - t[0])
        expected = analytical_rate(I, 0.01, 1e7, -0.08, -0.054, -0.08)
        # Euler spike times sit on the grid: each interval is off by at most about one step,
        # so the rate is off by at most rate^2 dt (+ the O(dt) integration error of the same size).
        assert abs(rate - expected) <= 2 * expected**2 * dt
        assert abs(rate - expected) / expected < 0.01


def test_no_spikes_at_or_below_rheobase_and_spikes_above():
    rheobase = (-0.054 + 0.08) / 1e7
    r = simulate(job(duration=2.0, reset=True, record=(), sweep={"I_e": [0.0, rheobase * 0.999, rheobase * 1.01]}))
    counts = r.spike_counts()
    assert counts[0] == 0 and counts[1] == 0
    assert counts[2] > 0


def test_reset_puts_V_at_V_reset_at_the_spike_time():
    r = simulate(job(duration=0.1, reset=True, record=("V",), I_e=3e-9, V_reset=-0.075))
    V = r.traces["V"][:, 0]
    assert r.spike_time.size >= 2
    for t in r.spike_time:
        k = int(round(t / 1e-4))
        assert V[k] == -0.075
        assert V[k - 1] < -0.054                              # below threshold just before
    assert V.max() < -0.054


def test_refractory_period_holds_V_and_lengthens_the_interval():
    r = simulate(job(duration=0.3, reset=True, record=("V",), I_e=4e-9, t_ref=0.002))
    t = r.spike_time
    V = r.traces["V"][:, 0]
    k0 = int(round(t[0] / 1e-4))
    assert np.all(V[k0:k0 + 21] == -0.08)                   # held for 2 ms
    expected = analytical_rate(4e-9, 0.01, 1e7, -0.08, -0.054, -0.08, t_ref=0.002)
    rate = (t.size - 1) / (t[-1] - t[0])
    assert abs(rate - expected) <= 2 * expected**2 * 1e-4


def notebook_scheme(dt, duration, spike_at):
    """The notebook's loop order: dV/dt uses the previous step's I_syn (a one-step lag)."""
    n = int(round(duration / dt))
    V, x, g, I_syn = -0.08, 0.0, 0.0, 0.0
    out = [V]
    for k in range(n):
        if k == int(round(spike_at / dt)):
            x += 30e-9
        dV = (-V - 0.08 - 1e7 * I_syn) / 0.01
        dx, dg = -x / 0.01, (x - g) / 0.01
        I_syn = g * (V - 0.0)
        V, x, g = V + dt * dV, x + dt * dx, g + dt * dg
        out.append(V)
    return np.array(out)


def test_notebook_ordering_differs_by_order_dt():
    diffs = []
    for dt in (2e-4, 1e-4, 5e-5):
        ours = simulate(job(dt=dt, duration=0.1, spikes=[0.02], record=("V",))).traces["V"][:, 0]
        theirs = notebook_scheme(dt, 0.1, 0.02)
        diffs.append(np.abs(ours - theirs).max())
    assert diffs[1] > 0
    assert diffs[0] / diffs[1] == pytest.approx(2.0, rel=0.1)
    assert diffs[1] / diffs[2] == pytest.approx(2.0, rel=0.1)


def test_same_seed_gives_identical_arrays_and_another_seed_differs():
    spec = {"uniform": [-0.085, -0.075], "seed": 7, "stream": "x"}
    a = simulate(job(n=5, dim="trial", reset=True, I_e=3e-9, V_init=spec))
    b = simulate(job(n=5, dim="trial", reset=True, I_e=3e-9, V_init=spec))
    c = simulate(job(n=5, dim="trial", reset=True, I_e=3e-9, V_init={**spec, "seed": 8}))
    np.testing.assert_array_equal(a.traces["V"], b.traces["V"])
    np.testing.assert_array_equal(a.spike_time, b.spike_time)
    assert np.all((a.V0 >= -0.085) & (a.V0 < -0.075))
    assert not np.array_equal(a.V0, c.V0)


def test_runaway_of_the_excitatory_pair_is_flagged():
    r = simulate(job(n=2, dim="neuron", duration=0.2, reset=True, record=(), E_m=-0.07, V_reset=-0.07,
                     I_e=3.5e-9, g_star=60e-9, V_init={"values": [-0.06, -0.07]}, coupling=[[0, 1], [1, 0]]))
    assert np.isfinite(r.runaway_onset).all()
    assert 0 < np.nanmin(r.runaway_onset) < 0.2


def test_refractory_period_prevents_the_runaway():
    r = simulate(job(n=2, dim="neuron", duration=0.2, reset=True, record=(), E_m=-0.07, V_reset=-0.07,
                     I_e=3.5e-9, g_star=60e-9, t_ref=0.002, V_init={"values": [-0.06, -0.07]},
                     coupling=[[0, 1], [1, 0]]))
    assert np.isnan(r.runaway_onset).all()


@pytest.mark.parametrize("case", ["coupled", "sweep", "synaptic", "refractory"])
def test_compiled_kernel_agrees_with_the_numpy_kernel(case):
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler import run_euler
    from lifsim.sim.euler_numba import run_euler_numba

    params = {
        "coupled": job(n=2, dim="neuron", duration=0.2, reset=True, record=("V", "g_syn", "I_syn", "I_m", "x"),
                       E_m=-0.07, V_reset=-0.07, I_e=3.5e-9, V_init={"values": [-0.06, -0.07]},
                       coupling=[[0, 1], [1, 0]]),
        "sweep": job(reset=True, record=(), duration=0.3, sweep={"I_e": list(np.linspace(0, 5e-9, 3001))}),
        "synaptic": job(duration=0.1, spikes=[0.02, 0.05], record=("V", "I_syn", "g_syn", "x"), g_exc=5e-8),
        "refractory": job(duration=0.2, reset=True, record=("V",), I_e=4e-9, t_ref=0.002),
    }[case]
    b = from_params(params)
    a, c = run_euler(b), run_euler_numba(b, block=256)      # several blocks for the sweep
    np.testing.assert_array_equal(a.spike_neuron, c.spike_neuron)
    np.testing.assert_allclose(a.spike_time, c.spike_time, rtol=0, atol=1e-12)
    for name in a.traces:
        scale = np.abs(a.traces[name]).max() or 1.0
        np.testing.assert_allclose(c.traces[name], a.traces[name], rtol=0, atol=1e-12 * scale)
    for key, value in a.spike_summary().items():
        np.testing.assert_allclose(c.summary[key], value, rtol=1e-12, atol=1e-15, equal_nan=True)
    np.testing.assert_array_equal(np.isnan(a.runaway_onset), np.isnan(c.runaway_onset))


def test_compiled_kernel_grows_its_spike_buffer_and_reports_non_finite_values():
    from lifsim.sim import SimulationError
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba

    # every neuron fires on every step: the buffer must grow many times and lose nothing
    b = from_params(job(n=40, dim="trial", duration=0.05, reset=True, record=(), I_e=1e-6))
    r = run_euler_numba(b, block=16)
    assert r.spike_time.size == 40 * b.n_steps
    assert np.isfinite(r.runaway_onset).all()
    bad = from_params(job(duration=0.05, record=("V",), I_e=1e300, tau_m=1e-9, V_init={"values": [0.0]}))
    with pytest.raises(SimulationError, match="non-finite membrane potential at step"), \
            np.errstate(over="ignore", invalid="ignore"):
        run_euler_numba(bad)
