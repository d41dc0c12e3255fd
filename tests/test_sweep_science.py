"""Swept parameters in the analyses: each swept parameter a dimension of the analysis, with the same numbers
at a sweep point as an unswept run there, and the PSP against g_star converging to its first-order limit."""
import numpy as np
import pytest
from experiment_helper import run_experiment

from lifsim.analysis.linear import linear_psp
from lifsim.plotting import figures
from lifsim.summary import summarise


def test_first_order_psp_of_equal_time_constants_is_the_closed_form():
    # tau_syn = tau_eff = tau: u = R g* D t^2 e^{-t/tau} / (2 tau^2), peak 2 e^{-2} R g* D at t = 2 tau
    peak, when = linear_psp([0.04], 0.2, 0.01, 0.01, 1.0)
    assert peak == pytest.approx(2 * np.exp(-2), rel=1e-12)
    assert when - 0.04 == pytest.approx(0.02, rel=1e-6)        # grid of 0.2 s / 20000, refined by a parabola
    # two time constants: u = (1 / tau_eff) int_0^t g(s) e^{-(t - s) / tau_eff} ds with the alpha conductance g,
    # checked against the trapezoidal rule of that convolution (by FFT; g(0) = 0, so the correction to the plain
    # sum is -g(t) / 2), whose error is O((h / tau)^2) = 2.8e-6 at h = 5 us, tau = 3 ms
    t = np.linspace(0, 0.2, 40001)
    h = t[1] - t[0]
    g = (t / 0.005) * np.exp(-t / 0.005)
    kernel = np.exp(-t / 0.003)
    m = 2 * t.size                                               # zero-padded: a linear, not circular, convolution
    full = np.fft.irfft(np.fft.rfft(g, m) * np.fft.rfft(kernel, m), m)[: t.size]
    u = (full - 0.5 * g * kernel[0]) * h / 0.003
    peak2, _ = linear_psp([0.0], 0.2, 0.005, 0.003, 1.0)
    assert peak2 == pytest.approx(u.max(), rel=1e-5)


@pytest.fixture(scope="module")
def g_sweep():
    def edit(exp, cfg):
        exp["duration"], exp["presynaptic_spikes"] = "80 ms", ["10 ms"]
        exp["test_step"] = {"amplitude": "-0.1 nA", "duration": "80 ms"}
        exp["sweep"] = {"g_star": ["0.01 nS", "0.1 nS", "1 nS", "10 nS", "30 nS"]}
        exp["conditions"] = {"excitatory": {"E_syn": "0 mV"}, "inhibitory": {"E_syn": "-100 mV"},
                             "shunting": {"E_syn": "0 mV", "g_exc": "50 nS", "g_inh": "200 nS"}}
    return run_experiment("synaptic_response", edit)


def test_psp_against_g_star_converges_to_the_first_order_limit(g_sweep):
    ds, an = g_sweep
    assert an["psp_amplitude"].dims == ("condition", "g_star")
    assert an["input_resistance"].dims == ("condition",)          # the passive probe does not depend on g_star
    r = an["psp_over_linear"]
    # the second-order term -R_in g_syn u makes PSP / first-order PSP fall linearly in g_star: equal steps
    # in g_star give equal steps in the ratio (Euler's own O(dt) error does not depend on g_star)
    slope = (r.sel(g_star=0.1) - r.sel(g_star=0.01)) / (r.sel(g_star=1.0) - r.sel(g_star=0.1))
    np.testing.assert_allclose(slope.values, 0.1, rtol=0.02)
    # as g_star -> 0 what is left is Euler's error: the continuous-time limit within dt / tau_eff
    tau_eff = an["tau_eff_theory"]
    assert bool((np.abs(1 - r.sel(g_star=0.01)) < 0.1 / tau_eff).all())
    # the first-order PSP is linear in g_star and, without tonic conductance, proportional to the driving force
    lin = an["psp_linear"]
    np.testing.assert_allclose((lin / lin.sel(g_star=1.0) / an["g_star"]).values, 1.0, rtol=1e-12)
    exc, inh = lin.sel(condition="excitatory"), lin.sel(condition="inhibitory")
    np.testing.assert_allclose((exc / inh).values, -4.0, rtol=1e-12)
    # the same synapse with the notebook's shunt: R_in / 3.5 and a faster membrane
    assert float(an["input_resistance"].sel(condition="shunting")) == pytest.approx(10 / 3.5, rel=1e-4)
    _, text = summarise("synaptic_response", "synaptic_response", ds, an)
    assert "at all 5 sweep points" in text and "Over the swept g_star the ratio goes from" in text
    figs = figures("synaptic_response", ds, an, {"width": 5.0, "dpi": 40})
    assert set(figs) == {"", "_test_step", "_sweep"}


def test_probes_follow_a_swept_holding_current():
    def edit(exp, cfg):
        exp["duration"], exp["presynaptic_spikes"] = "60 ms", ["10 ms"]
        exp["test_step"] = {"amplitude": "-0.1 nA", "duration": "100 ms"}
        exp["sweep"] = {"I_e": ["0 nA", "0.5 nA"]}
        exp["conditions"] = {"shunting": {"E_syn": "0 mV", "g_exc": "50 nS", "g_inh": "200 nS"}}
    ds, an = run_experiment("synaptic_response", edit)
    assert an["input_resistance"].dims == ("condition", "I_e")
    np.testing.assert_allclose(an["test_step"].values, -0.1, rtol=1e-12)
    # theory broadcasts against the measurement (R_in does not depend on I_e, the rest does)
    np.testing.assert_allclose((an["input_resistance"] / an["input_resistance_theory"]).values, 1.0, rtol=1e-3)
    np.testing.assert_allclose((an["rest_potential"] - an["rest_potential_theory"]).values, 0.0, atol=1e-3)
    rest = an["rest_potential_theory"].sel(condition="shunting")
    assert float(rest.sel(I_e=0.5) - rest.sel(I_e=0.0)) == pytest.approx(0.5 * 10 / 3.5, rel=1e-9)


def test_a_sweep_point_of_coupled_neurons_matches_the_unswept_run():
    conditions = {"base_t_ref_2ms": {"t_ref": "2 ms"}, "inhibitory": {"E_syn": "-80 mV"}}

    def swept(exp, cfg):
        exp["sweep"] = {"g_star": ["10 nS", "30 nS"], "tau_syn": ["5 ms", "10 ms"]}
        exp["conditions"], exp["analysis_duration"] = conditions, "300 ms"

    def plain(exp, cfg):
        exp["conditions"], exp["analysis_duration"] = conditions, "300 ms"
    ds, an = run_experiment("coupled_pair", swept)
    _, one = run_experiment("coupled_pair", plain)
    assert an["state"].dims == ("condition", "g_star", "tau_syn")
    point = an.sel(g_star=30, tau_syn=10)
    for name in ("state", "lock_time", "locked_phase", "locked_lag", "final_rate", "spike_count_long",
                 "shortfall_max"):
        np.testing.assert_array_equal(point[name].values, one[name].values, err_msg=name)
    _, text = summarise("coupled_pair", "coupled_pair", ds, an)
    assert "inhibitory, g_star = 30 nS, tau_syn = 10 ms from" in text
    assert "_sweep" in figures("coupled_pair", ds, an, {"width": 5.0, "dpi": 40})


def test_trials_over_a_sweep_match_the_first_spike_theory():
    def edit(exp, cfg):
        exp["sweep"] = {"I_e": ["2.8 nA", "3 nA", "4 nA"], "tau_m": ["10 ms", "12 ms"]}
        exp["neuron"] = {}
    ds, an = run_experiment("initial_conditions", edit)
    assert set(an["lag_mean"].dims) == {"condition", "I_e", "tau_m", "trial"}
    dt = 0.1
    # first spikes on the grid (up to dt late) and Euler's early crossing, lag dt / (2 tau) per ms of lag
    tol = dt + np.abs(an["lag_theory"]) * dt / (2 * an["tau_m"]) + 1e-9
    assert bool((np.abs(an["lag"].isel(spike_index=0) - an["lag_theory"]) <= tol).all())
    isi = an["isi"].mean(("trial", "spike_index"))
    assert bool((np.abs(isi - an["period_theory"]) <= dt + an["period_theory"] * dt / (2 * an["tau_m"])).all())
    _, text = summarise("initial_conditions", "initial_conditions", ds, an)
    assert "base, I_e = 4 nA, tau_m = 12 ms." in text
    assert "_sweep" in figures("initial_conditions", ds, an, {"width": 5.0, "dpi": 40})
