"""The noise and stimulus kinds (noisy_fi_curve, stimulus_response, poisson_input) through the planner and
in-process (lifsim.load), against Siegert, the closed form and Campbell's theorem; config errors; split
independence of the noise."""
from __future__ import annotations

import copy

import numpy as np
import pytest
from conftest import default_config

import lifsim
from lifsim import spikes
from lifsim.analysis.siegert import deterministic_rate
from lifsim.config import ConfigError

NEW = ("noisy_fi_curve", "stimulus_response", "poisson_input")


def config_with(name: str, exp: dict) -> dict:
    cfg = copy.deepcopy(default_config())
    cfg["experiments"] = {name: exp}
    return cfg


def noisy(**over) -> dict:
    exp = {"kind": "noisy_fi_curve", "integrator": "exact", "neuron": {"t_ref": "2 ms"}, "burn_in": "200 ms",
           "duration": "300 ms", "isi_tail": "200 ms", "trials": 10,
           "sweep": {"I_e": ["2.4 nA", "3 nA"], "noise.sigma": ["0 mV", "4 mV"]}}
    exp.update(over)
    return exp


def labelled(ds):
    for name, var in ds.variables.items():
        assert "long_name" in var.attrs, name
        if var.dtype.kind in "fiu" and name not in ("trial",):
            assert "units" in var.attrs, name


@pytest.mark.parametrize("name", NEW)
def test_the_default_config_plans_each_new_kind(name):
    study = lifsim.load(default_config())
    assert study[name].plan.kind == name and study[name].jobs


def test_noisy_fi_curve_in_process_has_labelled_rates_and_a_figure():
    e = lifsim.load(config_with("nf", noisy()))["nf"]
    an = e.analyse()
    assert an["rate"].dims == ("estimator", "sigma", "I_e") and list(an["estimator"].values) == ["isi", "count"]
    assert an["rate_siegert"].dims == ("sigma", "I_e") and an["cv_isi"].dims == ("sigma", "I_e")
    assert an["sigma"].attrs["units"] == "mV" and float(an["sigma"].sel(sigma=4)) == 4.0
    labelled(an)
    labelled(e.run())
    assert "sigma/sqrt(2)" in e.run().attrs["noise_convention"]
    # sigma = 0 above threshold: the exact scheme is the deterministic formula, CV 0
    theory = deterministic_rate(-50e-3, -54e-3, -80e-3, 10e-3, 2e-3)
    assert float(an["rate_siegert"].sel(sigma=0, I_e=3)) == pytest.approx(theory, rel=1e-12)
    assert float(an["rate"].sel(estimator="isi", sigma=0, I_e=3)) == pytest.approx(theory, rel=1e-9)
    assert float(an["cv_isi"].sel(sigma=0, I_e=3)) == pytest.approx(0, abs=1e-6)
    numbers, text = e.summarise()
    assert "max(0.5 %, 3 SE)" in text and numbers["measured"]["compare_integrator"] == "euler"
    assert set(e.figures()) == {""}


def test_exact_meets_the_accuracy_goal_through_the_kind_and_euler_maruyama_is_reported():
    exp = noisy(duration="1.5 s", isi_tail="500 ms", trials=400, max_points_per_job=2,
                sweep={"I_e": ["2.4 nA", "3 nA"], "noise.sigma": ["2 mV", "4 mV"]})
    e = lifsim.load(config_with("nf", exp))["nf"]
    an = e.analyse()
    applies = an["goal_applies"] == 1
    assert int(applies.sum()) == 4   # every point fires at >= 5 Hz (the lowest: ~13 Hz)
    isi = an["rate"].sel(estimator="isi")
    err = (isi / an["rate_siegert"] - 1).where(applies)
    se = (an["rate_se"].sel(estimator="isi") / an["rate_siegert"]).where(applies)
    assert float(se.max()) < 0.01 and int(an["censored"].where(applies).max()) == 0
    assert bool((an["goal_met"] == 1).where(applies, True).all()), err.values
    em = (an["rate_compare"].sel(estimator="isi") / an["rate_siegert"] - 1).where(applies)
    print("exact error %:", np.round(100 * err.values, 3), "SE %:", np.round(100 * se.values, 3))
    print("euler-maruyama error %:", np.round(100 * em.values, 3))
    assert float(em.max()) < -0.005   # Euler-Maruyama's grid threshold misses crossings: biased low
    numbers, _ = e.summarise()
    judged = [r for r in numbers["measured"]["errors"] if r["points"]]
    assert all(r["within_goal"] == r["points"] for r in judged)


def trains_of(e):
    ds = e.run()
    return spikes.trains(ds).sel(sigma=4).isel(trial=0)


def test_a_point_gives_the_same_spike_train_alone_and_inside_a_large_job_or_a_split():
    base = {"noise": {"sigma": "4 mV"}, "burn_in": "0 ms", "duration": "100 ms", "isi_tail": "0 ms", "trials": 1,
            "compare_with": "none"}
    big = noisy(**base, sweep={"I_e": {"start": "2 nA", "stop": "3 nA", "num": 10001}})
    value = 2 + 4321 * 1e-4   # point 4321 of the sweep (nA), written as the linspace computes it
    e_big = lifsim.load(config_with("nf", big))["nf"]
    assert len(e_big.jobs) == 1
    in_big = trains_of(e_big).sel(I_e=value, method="nearest")
    point = float(in_big["I_e"])
    alone = lifsim.load(config_with("nf", noisy(**base, sweep={"I_e": [f"{point!r} nA"]})))["nf"]
    # the same value as the big sweep computes it (SI), so its key is the same
    assert float(alone.run()["I_e"].item()) == point
    train_alone = trains_of(alone).sel(I_e=point).item()
    split = noisy(**base, max_points_per_job=1, sweep={"I_e": ["2.1 nA", f"{point!r} nA", "2.9 nA"]})
    e_split = lifsim.load(config_with("nf", split))["nf"]
    assert len(e_split.jobs) == 3
    train_split = trains_of(e_split).sel(I_e=point).item()
    assert train_alone.size >= 2
    assert np.array_equal(in_big.item(), train_alone) and np.array_equal(train_split, train_alone)


def stimulus_exp(**over):
    exp = {"kind": "stimulus_response", "integrator": "exact", "duration": "150 ms", "neuron": {"t_ref": "2 ms"},
           "stimuli": {"sub": [{"kind": "step", "amplitude": "2 nA", "start": "20 ms", "stop": "70.05 ms"}],
                       "supra": [{"kind": "step", "amplitude": "3 nA", "start": "20.03 ms", "stop": "120 ms"}],
                       "pulses": [{"kind": "pulses", "amplitude": "8 nA", "width": "5 ms", "period": "25 ms",
                                   "start": "20 ms", "stop": "140 ms"}],
                       "sine": [{"kind": "sine", "amplitude": "1 nA", "frequency": "10 Hz", "offset": "2.5 nA"}]}}
    exp.update(over)
    return exp


def test_stimulus_response_step_is_the_closed_form_to_rounding():
    e = lifsim.load(config_with("sr", stimulus_exp()))["sr"]
    ds, an = e.run(), e.analyse()
    labelled(an)
    assert float(an["step_error"].sel(condition="sub")) < 1e-9        # mV: rounding, not discretisation
    assert float(an["step_error"].sel(condition="supra")) < 1e-9
    assert np.isnan(float(an["step_error"].sel(condition="sine")))
    assert "not a single step" in an["step_error"].attrs["comment"]
    # the supra-threshold step switches between grid points; first spike: 20.03 ms + tau ln(30 / 4)
    first = 20.03 + 10 * np.log(30 / 4)
    assert float(an["first_spike"].sel(condition="supra")) == pytest.approx(first, abs=1e-9)
    assert int(an["n_spikes"].sel(condition="pulses")) > 0 and int(an["n_spikes"].sel(condition="sub")) == 0
    np.testing.assert_allclose(ds["I"].sel(condition="sub", time=50), 2.0)
    _, text = e.summarise()
    assert "closed-form step" in text
    assert set(e.figures()) == {""}


def test_poisson_input_meets_campbell_and_drives_the_output():
    exp = {"kind": "poisson_input", "integrator": "exact", "neuron": {"t_ref": "2 ms", "tau_syn": "5 ms"},
           "poisson_input": {"g_star": "2 nS"}, "burn_in": "50 ms", "duration": "1 s", "trials": 40,
           "sweep": {"poisson_input.rate": ["800 Hz", "6400 Hz"]}}
    e = lifsim.load(config_with("po", exp))["po"]
    an = e.analyse()
    labelled(an)
    assert an["g_mean"].dims == ("rate",) and an["rate"].attrs["units"] == "Hz"
    np.testing.assert_allclose(an["g_mean_campbell"], [8.0, 64.0])          # nu g* tau (nS)
    np.testing.assert_allclose(an["g_var_campbell"], [4.0, 32.0])           # nu g*^2 tau / 4 (nS^2)
    assert float((an["g_var_se"] / an["g_var_campbell"]).max()) < 0.05     # the check can fail
    assert int(an["campbell_ok"].sum()) == 2
    np.testing.assert_allclose(an["input_rate"], [800, 6400], rtol=0.02)
    out = an["output_rate"]
    assert float(out.sel(rate=800)) == 0 and float(out.sel(rate=6400)) > 20
    numbers, text = e.summarise()
    assert "2 of 2 input rates" in text and set(e.figures()) == {""}


def test_poisson_events_do_not_depend_on_the_split():
    exp = {"kind": "poisson_input", "integrator": "exact", "neuron": {"t_ref": "2 ms"}, "burn_in": "0 ms",
           "duration": "50 ms", "trials": 3, "sweep": {"poisson_input.rate": ["800 Hz", "1600 Hz", "3200 Hz"]}}
    one = lifsim.load(config_with("po", exp))["po"].run()
    split = lifsim.load(config_with("po", {**exp, "max_points_per_job": 1}))["po"].run()
    alone = lifsim.load(config_with("po", {**exp, "sweep": {"poisson_input.rate": ["1600 Hz"]}}))["po"].run()
    np.testing.assert_array_equal(one["g_example"], split["g_example"])
    np.testing.assert_array_equal(one["input_count"].sel(rate=1600), alone["input_count"].sel(rate=1600))


@pytest.mark.parametrize("name, exp, where, words", [
    ("sr", stimulus_exp(stimuli={"a": [{"kind": "step", "amplitude": "1 nA", "start": "50 ms", "stop": "10 ms"}]}),
     "experiments.sr.stimuli.a[0].stop", "expected stop > start"),
    ("sr", stimulus_exp(stimuli={"a": [{"kind": "pulses", "amplitude": "1 nA", "width": "0 ms", "period": "5 ms",
                                        "start": "0 ms", "stop": "10 ms"}]}),
     "experiments.sr.stimuli.a[0].width", "positive width"),
    ("sr", stimulus_exp(stimuli={"a": [{"kind": "step", "amplitude": "1 mV", "start": "0 ms", "stop": "10 ms"}]}),
     "experiments.sr.stimuli.a[0].amplitude", "current"),
    ("sr", stimulus_exp(stimuli={"a": [{"kind": "step", "amplitude": "1 nA", "start": "0 ms", "stop": "1 s"}]}),
     "experiments.sr.stimuli.a[0].stop", "inside the run"),
    ("sr", stimulus_exp(integrator="euler"), "experiments.sr.integrator", "expected exact"),
    ("nf", noisy(noise={"sigma": "-1 mV"}, sweep={"I_e": ["2 nA"]}), "experiments.nf.noise.sigma", ">= 0 mV"),
    ("nf", noisy(noise={"sigma": "4 nA"}, sweep={"I_e": ["2 nA"]}), "experiments.nf.noise.sigma", "voltage"),
    ("nf", noisy(noise={"sigma": "4 mV"}), "experiments.nf.noise.sigma", "set in one place"),
    ("nf", noisy(neuron={"t_ref": "0 ms"}), "experiments.nf.neuron.t_ref", "t_ref >= dt"),
    ("nf", noisy(sweep={"noise.tau": ["1 ms"]}), "experiments.nf.noise", "got no std"),
    ("nf", noisy(sweep={"noise.rate": ["1 Hz"]}), "experiments.nf.sweep.noise.rate", "model parameter to sweep"),
    ("nf", noisy(compare_with="exact"), "experiments.nf.compare_with", "other than the experiment's"),
    ("po", {"kind": "poisson_input", "integrator": "exact", "neuron": {"t_ref": "2 ms"},
            "poisson_input": {"rate": "-5 Hz"}}, "experiments.po.poisson_input.rate", ">= 0 Hz"),
    ("po", {"kind": "poisson_input", "integrator": "exact", "neuron": {"t_ref": "2 ms"},
            "poisson_input": {"g_star": "1 mV"}}, "experiments.po.poisson_input.g_star", "conductance"),
    ("po", {"kind": "poisson_input", "integrator": "exact", "neuron": {"t_ref": "2 ms"},
            "poisson_input": {"rate": "5 Hz", "g_stra": "1 nS"}}, "experiments.po.poisson_input.g_stra",
     "did you mean"),
])
def test_bad_noise_stimulus_and_poisson_values_are_one_config_error(name, exp, where, words):
    with pytest.raises(ConfigError) as info:
        lifsim.load(config_with(name, exp))
    assert info.value.path == where, info.value
    assert words in info.value.message and "\n" not in str(info.value)


def test_the_config_parser_knows_the_stimulus_kinds_the_integrator_has():
    from lifsim import stimulus, stimulus_config

    assert stimulus_config.KINDS == stimulus.KINDS
