"""The coupled pair: the pure spike-train functions on made-up trains, and the pair's behaviour through the
package (config -> jobs -> simulate -> datasets -> analysis)."""
import copy

import numpy as np
import pytest
from conftest import default_config

from lifsim import spikes
from lifsim.analysis import analyse
from lifsim.analysis.pair import STATES
from lifsim.analysis.pairing import circular_mean, lag_and_phase, lock, runaway_onset, shortfall
from lifsim.config import validate_structure
from lifsim.planning import plan
from lifsim.dataset import job_dataset
from lifsim.gather import gather_experiment
from lifsim.sim import simulate


def test_lag_and_phase_of_made_up_trains():
    t0 = np.arange(0.0, 100.0, 10.0)
    seq = lag_and_phase(t0, t0 + 3.0)
    np.testing.assert_allclose(seq["phase"], 0.3)
    np.testing.assert_allclose(seq["lag"], 3.0)
    np.testing.assert_allclose(seq["period"], 10.0)
    assert seq["time"].size == t0.size - 1              # the last spike of train 1 has no later spike of train 0
    late = lag_and_phase(t0, t0 + 8.0)
    np.testing.assert_allclose(late["lag"], -2.0)       # nearer to the next spike of train 0
    mean = circular_mean(np.array([0.98, 0.02]))
    assert min(mean, 1 - mean) < 1e-12                  # 0 on the circle, not the arithmetic mean 0.5


def test_lock_finds_when_a_converging_lag_settles():
    t0 = np.arange(0.0, 1000.0, 10.0)
    lags = 5.0 * np.exp(-t0 / 50.0)                     # settles towards phase 0
    seq = lag_and_phase(t0, t0 + lags)
    out = lock(seq, tolerance=0.5, duration=1000.0)
    assert out["locked"]
    # |lag| <= 0.5 from t with 5 exp(-t / 50) <= 0.5, i.e. t >= 50 ln 10 = 115.1 -> the spike at 120 (+ lag)
    assert out["time"] == pytest.approx(120.0 + 5.0 * np.exp(-120.0 / 50.0))
    assert out["phase"] == pytest.approx(0.0, abs=1e-3)
    drifting = lock(lag_and_phase(t0, t0 + np.linspace(0.0, 9.0, t0.size)), tolerance=0.5, duration=1000.0)
    assert not drifting["locked"]


def test_runaway_onset_and_shortfall_of_made_up_data():
    assert runaway_onset([np.array([0.0, 5.0, 8.0, 9.0, 9.5])], 1.0) == 9.0
    assert np.isnan(runaway_onset([np.array([0.0, 5.0, 10.0])], 1.0))
    time = np.arange(0.0, 1.0, 0.1)
    V = np.full((1, time.size), -60.0)
    V[0, 4] = -56.0                                     # the sample before a spike at t = 0.5
    assert shortfall(time, V, [np.array([0.5])], -54.0) == (2.0, 2.0)


@pytest.fixture(scope="module")
def pair():
    cfg = copy.deepcopy(default_config())
    exp = cfg["experiments"]["coupled_pair"]
    keep = ("base", "strong_coupling", "inhibitory", "base_t_ref_2ms", "strong_coupling_t_ref_2ms")
    exp["conditions"] = {k: v for k, v in exp["conditions"].items() if k in keep}
    exp["analysis_duration"] = "400 ms"
    cfg["experiments"] = {"coupled_pair": exp}
    validate_structure(cfg)
    p = plan(cfg)["coupled_pair"]
    short = {n: job_dataset(j, simulate(j)) for n, j in sorted(p.jobs.items())}
    extra = {n: job_dataset(j, simulate(j)) for n, j in p.analysis_jobs.items()}
    ds = gather_experiment("coupled_pair", "coupled_pair", short)
    return ds, extra, analyse("coupled_pair", ds, p.analysis, extra), p


def state(an, cond):
    return STATES[int(an["state"].sel(condition=cond))]


def test_long_run_repeats_the_short_run_exactly(pair):
    ds, extra, an, p = pair
    short_ms = p.jobs["base"]["duration"] * 1e3
    for cond in ds["condition"].values:
        for n in (0, 1):
            short = spikes.train(ds, condition=cond, neuron=n)
            long = spikes.trains(extra[str(cond)]).sel(neuron=n).item()
            np.testing.assert_array_equal(long[long <= short_ms], short)


def test_excitatory_pair_runs_away_and_a_refractory_period_stops_it(pair):
    ds, extra, an, p = pair
    dt_ms = p.jobs["base"]["dt"] * 1e3
    for cond in ("base", "strong_coupling"):
        assert state(an, cond) == "runaway"
        assert 0 < float(an["runaway_onset"].sel(condition=cond)) < 100
    # with strong coupling both neurons end up firing on every time step: the rate is set by dt alone
    assert float(an["isi"].sel(condition="strong_coupling").min()) == pytest.approx(dt_ms)
    assert np.isfinite(float(an["every_step_onset"].sel(condition="strong_coupling")))
    for cond in ("base_t_ref_2ms", "strong_coupling_t_ref_2ms"):
        # held t_ref after a spike, then at least one step to cross: every interval >= t_ref + dt
        t_ref_ms = p.jobs[cond]["neuron"]["t_ref"] * 1e3
        assert float(an["isi"].sel(condition=cond).min()) >= t_ref_ms + dt_ms - 1e-9
        assert state(an, cond) == "locked"
        assert np.isnan(float(an["runaway_onset"].sel(condition=cond)))


def test_inhibitory_pair_locks_near_synchrony(pair):
    ds, extra, an, p = pair
    tol_ms = p.analysis["lock_tolerance"] * 1e3
    assert state(an, "inhibitory") == "locked"
    assert abs(float(an["locked_lag"].sel(condition="inhibitory"))) <= tol_ms
    assert float(an["lock_time"].sel(condition="inhibitory")) < 200
    assert 80 < float(an["final_rate"].sel(condition="inhibitory")) < 130


def test_the_notebooks_early_reset_is_the_last_sample_before_crossing(pair):
    ds, extra, an, p = pair
    # no sample ever lies at or above threshold, and the strongly coupled pair's last samples before a reset
    # lie millivolts below it: V moves by that much in one step
    assert float(ds["V"].max()) < float(ds["V_thr"].max())
    assert float(an["shortfall_max"].sel(condition="strong_coupling")) > 1.0
    assert float(an["shortfall_max"].sel(condition="strong_coupling")) > 3 * float(
        an["shortfall_max"].sel(condition="strong_coupling_t_ref_2ms"))
