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
from lifsim.dataset import job_dataset
from lifsim.gather import gather_experiment
from lifsim.planning import plan
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
    keep = ("base", "strong_coupling", "inhibitory", "base_t_ref_2ms", "strong_coupling_t_ref_2ms")
    conditions = {k: v for k, v in default_config()["experiments"]["coupled_pair"]["conditions"].items() if k in keep}
    return coupled([[0, 1], [1, 0]], ["-60 mV", "-70 mV"], conditions)


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
    assert abs(float(an["locked_lag"].sel(condition="inhibitory", neuron=1))) <= tol_ms
    assert np.isnan(float(an["locked_lag"].sel(condition="inhibitory", neuron=0)))    # the reference
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


def coupled(coupling, V_init, conditions, analysis_duration="400 ms", **neuron):
    """Short runs, long runs and the analysis of a coupled_pair experiment with this coupling matrix."""
    cfg = copy.deepcopy(default_config())
    exp = cfg["experiments"]["coupled_pair"]
    exp.update(coupling=coupling, V_init=V_init, conditions=conditions, analysis_duration=analysis_duration)
    exp["neuron"].update(neuron)
    cfg["experiments"] = {"coupled_pair": exp}
    validate_structure(cfg)
    p = plan(cfg)["coupled_pair"]
    short = {n: job_dataset(j, simulate(j)) for n, j in sorted(p.jobs.items())}
    extra = {n: job_dataset(j, simulate(j)) for n, j in p.analysis_jobs.items()}
    ds = gather_experiment("coupled_pair", "coupled_pair", short)
    return ds, extra, analyse("coupled_pair", ds, p.analysis, extra), p


CHAIN = [[0, 0, 0], [1, 0, 0], [0, 1, 0]]          # 0 -> 1 -> 2


@pytest.fixture(scope="module")
def chain():
    return coupled(CHAIN, ["-60 mV", "-70 mV", "-65 mV"], {"exc": {"t_ref": "2 ms"}, "inh": {"E_syn": "-80 mV"}},
                   **{"E_m": "-70 mV", "I_e": "3.5 nA"})


def test_a_chain_of_three_is_analysed_per_neuron_against_neuron_0(chain):
    ds, extra, an, p = chain
    assert an.sizes["neuron"] == 3 and an["locked_phase"].dims == ("condition", "neuron")
    for cond in ("exc", "inh"):
        trains = list(spikes.trains(extra[cond]).values)
        # neuron 0 receives no input: it fires periodically, at the analytical period rounded to the grid
        isi = np.diff(trains[0][1:])
        assert isi.max() - isi.min() < 1e-9
        for n in (1, 2):
            seq = lag_and_phase(trains[0], trains[n])
            got = an["spike_time_difference"].sel(condition=cond, neuron=n).values
            np.testing.assert_array_equal(got[: seq["lag"].size], seq["lag"])
            assert np.isnan(got[seq["lag"].size:]).all()
        assert np.isnan(an["spike_time_difference"].sel(condition=cond, neuron=0).values).all()
        counts = an["spike_count_long"].sel(condition=cond).values
        assert list(counts) == [t.size for t in trains]
    # excitation makes each neuron down the chain fire faster than the one before; inhibition slower
    exc, inh = (an["spike_count_long"].sel(condition=c).values for c in ("exc", "inh"))
    assert exc[0] < exc[1] < exc[2]
    assert inh[1] < inh[0]
    assert STATES[int(an["state"].sel(condition="exc"))] in ("not_locked", "suppression")   # no 1:1 rhythm


def test_neuron_0_of_a_chain_fires_as_a_single_uncoupled_neuron(chain):
    _, extra, _, _ = chain
    ds1, extra1, an1, _ = coupled([[0]], ["-60 mV"], {"exc": {"t_ref": "2 ms"}}, E_m="-70 mV", I_e="3.5 nA")
    assert an1.sizes["neuron"] == 1
    np.testing.assert_array_equal(spikes.trains(extra1["exc"]).values[0], spikes.trains(extra["exc"]).values[0])
    assert STATES[int(an1["state"].sel(condition="exc"))] == "not_locked"     # no second neuron to lock to
    assert float(an1["final_rate"].sel(condition="exc")) > 0


def test_a_symmetric_ring_of_five_fires_together():
    ring = [[1 if j == (i - 1) % 5 else 0 for j in range(5)] for i in range(5)]
    ds, extra, an, p = coupled(ring, ["-65 mV"] * 5, {"inh": {"E_syn": "-80 mV"}, "exc": {"t_ref": "2 ms"}})
    for cond in ("inh", "exc"):
        trains = list(spikes.trains(extra[cond]).values)
        for t in trains[1:]:
            np.testing.assert_array_equal(t, trains[0])     # identical neurons, identical inputs
        assert STATES[int(an["state"].sel(condition=cond))] == "locked"
        np.testing.assert_array_equal(an["locked_lag"].sel(condition=cond).values[1:], 0.0)
        assert float(an["lock_time"].sel(condition=cond)) == trains[0][0]
    from lifsim.plotting import figures
    from lifsim.summary import summarise
    _, text = summarise("coupled_pair", "ring", ds, an)
    assert "neuron 4: 0.000" in text
    assert set(figures("coupled_pair", ds, an, {"width": 5.0, "dpi": 40})) >= {"", "_variants", "_lag", "_isi"}
