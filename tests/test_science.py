"""The notebook's claims as measured numbers, against closed forms, with tolerances derived from dt.

Everything runs through the package (config -> jobs -> simulate -> labelled dataset -> analysis), so the
float32 storage of traces is part of what is tested.
"""
import copy
import math

import numpy as np
import pytest
from conftest import default_config
from params_helper import job

from lifsim.analysis import analyse
from lifsim.analysis.probe import FIT_RANGE
from lifsim.analysis.theory import effective_rest, effective_tau, euler_fitted_tau, input_resistance
from lifsim.config import validate_structure
from lifsim.dataset import job_dataset
from lifsim.gather import gather_by_duration, gather_experiment
from lifsim.planning import plan
from lifsim.sim import simulate

ULP32_80MV = float(np.spacing(np.float32(80.0)))   # mV: resolution of a stored trace near -80 mV


def plans_of(cfg):
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def run(params):
    return job_dataset(params, simulate(params))


def synaptic_analysis(cfg):
    p = plans_of(cfg)["synaptic_response"]
    ds = gather_experiment("synaptic_response", "synaptic_response", {n: run(j) for n, j in sorted(p.jobs.items())})
    extra = {n: run(j) for n, j in p.analysis_jobs.items()}
    return analyse("synaptic_response", ds, p.analysis, extra), p


def config_with_tonic_conductances():
    cfg = default_config()
    cfg["experiments"]["synaptic_response"]["duration"] = "80 ms"
    cfg["experiments"]["synaptic_response"]["presynaptic_spikes"] = ["10 ms"]
    # a resting potential away from E_m too (only g_exc), and I_e as a holding current
    cfg["experiments"]["synaptic_response"]["conditions"]["depolarised"] = {"g_exc": "50 nS", "I_e": "0.2 nA"}
    return cfg


@pytest.fixture(scope="module")
def synaptic():
    return synaptic_analysis(config_with_tonic_conductances())


def test_input_resistance_and_resting_potential_match_theory(synaptic):
    an, p = synaptic
    for cond in an["condition"].values:
        params = p.analysis_jobs[f"{cond}-hold"]
        n = params["neuron"]
        dt, T = params["dt"], params["duration"]
        tau = effective_tau(n["tau_m"], n["R_m"], n["g_exc"], n["g_inh"])
        step = p.analysis_jobs[f"{cond}-step"]["test_step"]
        r_in = input_resistance(n["R_m"], n["g_exc"], n["g_inh"])
        # Euler's steady state is the exact one; what is left after T is the undecayed part (1 - dt/tau)^N,
        # plus float32 rounding of the two stored traces (one ulp each near -80 mV) in a deflection of R_in step.
        residual = (1 - dt / tau) ** round(T / dt)
        deflection = abs(r_in * step) * 1e3
        tol = residual + 2 * ULP32_80MV / deflection
        assert float(an["input_resistance"].sel(condition=cond)) == pytest.approx(r_in * 1e-6, rel=tol)
        assert float(an["input_resistance_theory"].sel(condition=cond)) == pytest.approx(r_in * 1e-6, rel=1e-12)
        rest = effective_rest(n["E_m"], n["R_m"], n["g_exc"], n["E_exc"], n["g_inh"], n["E_inh"],
                              n["I_e"]) * 1e3
        start = n["E_m"] * 1e3                                         # the probe starts at E_m
        assert float(an["rest_potential"].sel(condition=cond)) == pytest.approx(
            rest, abs=abs(start - rest) * residual + ULP32_80MV)
    # the shunting conductances of the notebook leave the rest exactly at E_m but divide R_in by 3.5
    assert float(an["rest_potential"].sel(condition="shunting")) == pytest.approx(-80.0, abs=ULP32_80MV)
    assert float(an["input_resistance_theory"].sel(condition="shunting")) == pytest.approx(10 / 3.5)
    assert float(an["rest_potential_theory"].sel(condition="depolarised")) == pytest.approx((-80 + 2) / 1.5)


def test_tau_eff_is_the_theory_minus_eulers_half_step(synaptic):
    an, p = synaptic
    for cond in an["condition"].values:
        params = p.analysis_jobs[f"{cond}-hold"]
        n, dt, T = params["neuron"], params["dt"], params["duration"]
        tau = effective_tau(n["tau_m"], n["R_m"], n["g_exc"], n["g_inh"])
        fitted = float(an["tau_eff"].sel(condition=cond)) * 1e-3
        # The fit of ln(remaining) over remaining in [0.1, 0.9] sees errors of (residual + float32) / 0.1.
        deflection = abs(input_resistance(n["R_m"], n["g_exc"], n["g_inh"]) * 1e-10) * 1e3
        noise = ((1 - dt / tau) ** round(T / dt) + 2 * ULP32_80MV / deflection) / FIT_RANGE[0]
        assert fitted == pytest.approx(euler_fitted_tau(tau, dt), rel=noise)
        # against the continuous theory: Euler's O(dt) error, -dt/2 (1 + O(dt/tau)), and only that
        assert tau - fitted == pytest.approx(dt / 2, rel=dt / tau + 2 * noise * tau / dt)


def test_tau_eff_error_is_first_order_in_dt():
    errors = []
    for dt in ("0.1 ms", "0.05 ms"):
        cfg = default_config()
        cfg["dt"] = dt
        cfg["experiments"] = {"synaptic_response": cfg["experiments"]["synaptic_response"]}
        an, _ = synaptic_analysis(cfg)
        errors.append(float(an["tau_eff_theory"].sel(condition="shunting") - an["tau_eff"].sel(condition="shunting")))
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.02)


def test_psp_is_proportional_to_the_driving_force(synaptic):
    an, _ = synaptic
    exc, inh = (float(an["psp_amplitude"].sel(condition=c)) for c in ("excitatory", "inhibitory"))
    force = float(an["driving_force"].sel(condition="excitatory") / an["driving_force"].sel(condition="inhibitory"))
    assert force == -4.0
    # exact for the model and for Euler; what is left is float32 storage of V (an ulp each in a -1.5 mV PSP)
    assert exc / inh == pytest.approx(force, rel=2 * ULP32_80MV / abs(inh))
    assert an["psp_per_driving_force"].sel(condition="excitatory") == pytest.approx(
        float(an["psp_per_driving_force"].sel(condition="inhibitory")), rel=2 * ULP32_80MV / abs(inh))
    # the shunted PSP (same synapse as the excitatory one) is smaller, but by less than the R_in ratio 1/3.5:
    # tau_eff shrinks too, so the membrane follows the (slower) conductance more closely
    ratio = float(an["psp_amplitude"].sel(condition="shunting")) / exc
    assert 1 / 3.5 < ratio < 1


def test_psp_ratio_in_double_precision():
    peaks = {}
    for E_syn in (0.0, -0.1):
        V = simulate(job(duration=0.08, spikes=[0.01], record=("V",), E_syn=E_syn)).traces["V"][:, 0] + 0.08
        peaks[E_syn] = V[np.argmax(np.abs(V))]
    assert peaks[0.0] / peaks[-0.1] == pytest.approx(0.08 / -0.02, rel=1e-12)


def trials_analysis(V0_mV, duration=0.1, dt=1e-4):
    params = job(n=len(V0_mV), dim="trial", dt=dt, duration=duration, reset=True, record=("V",), I_e=3e-9,
                 V_init={"values": [v * 1e-3 for v in V0_mV]})
    ds = gather_experiment("initial_conditions", "trials", {"base": run(params)})
    return analyse("initial_conditions", ds, {})


def test_phase_lag_is_set_by_the_first_spike_and_never_changes():
    dt_ms, tau_ms = 0.1, 10.0
    an = trials_analysis([-75.17, -83.38, -82.04, -79.5], duration=0.2)
    lag, theory = an["lag"].isel(condition=0), an["lag_theory"].isel(condition=0)
    assert int(lag.notnull().sum("spike_index").min()) >= 8
    # after a reset all trials follow the same discrete trajectory: the lag is constant to rounding
    assert float(an["lag_spread"].max()) < 1e-9
    # first spikes: each on the grid (rounded up by less than dt), and Euler's crossing comes early by
    # t dt / (2 tau) (it relaxes with tau - dt/2), which differs between trials by lag dt / (2 tau)
    tol = dt_ms + np.abs(theory) * dt_ms / (2 * tau_ms) + 1e-9
    assert bool((np.abs(lag.isel(spike_index=0) - theory) <= tol).all())
    # every interval: the period, shortened by P dt / (2 tau), rounded up to the grid
    period = float(an["period_theory"].isel(condition=0))
    isi = an["isi"].values[np.isfinite(an["isi"].values)]
    assert np.all(isi >= period * (1 - dt_ms / (2 * tau_ms)) - dt_ms - 1e-9)
    assert np.all(isi <= period + dt_ms + 1e-9)
    # the phase lag is the lag over the period, one value per trial
    phase = an["phase_lag"].isel(condition=0)
    assert float((phase.max("spike_index") - phase.min("spike_index")).max()) < 1e-9


def fi_analysis(start, stop, num, durations):
    currents = list(np.linspace(start, stop, num))
    parts = {}
    for d in durations:
        params = {**job(dt=1e-4, duration=d, reset=True, record=(), sweep={"I_e": currents}), "condition": f"d{d}"}
        parts[f"d{d}"] = run(params)
    ds = gather_by_duration("fi_curve", "fi", parts)
    return analyse("fi_curve", ds, {})


def test_rheobase_within_one_current_step():
    an = fi_analysis(2.505e-9, 2.695e-9, 20, [0.3])   # a grid that does not hit 2.6 nA itself
    theory = float(an["rheobase_theory"])
    assert theory == pytest.approx(2.6)
    step = float(an["I_e_step"])
    measured, silent = float(an["rheobase_measured"][0]), float(an["rheobase_silent"][0])
    # Euler's steady state is exact, so the discrete neuron has the same rheobase; 300 ms is long enough for
    # the slow first spike one step above it (tau ln((V_inf - E_m) / (V_inf - V_thr)) ~ 56 ms)
    assert silent < theory <= measured
    assert measured - silent == pytest.approx(step)
    assert measured - theory <= step


def test_count_rate_is_quantised_to_one_over_duration_and_isi_rate_is_not():
    an = fi_analysis(3e-9, 5e-9, 9, [0.1, 0.4])
    quantum = an["count_quantum"]
    np.testing.assert_allclose(quantum.values, [10.0, 2.5])
    spikes = (an["rate"].sel(estimator="count") / quantum).values
    np.testing.assert_allclose(spikes, np.round(spikes), atol=1e-9)
    # ISI rates do not depend on the duration once a few intervals exist (periodic firing)
    isi = an["rate"].sel(estimator="isi")
    np.testing.assert_allclose(isi.isel(duration=0), isi.isel(duration=1), rtol=1e-12)
    assert float(an["max_abs_error"].sel(estimator="count", duration=400.0)) < float(
        an["max_abs_error"].sel(estimator="count", duration=100.0))
    assert math.isfinite(float(an["mean_abs_error"].sel(estimator="isi", duration=100.0)))
