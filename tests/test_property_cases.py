"""Configs the property test (tests/test_property.py) found crashing, each kept as a plain test.

Each runs in-process through simulate -> gather -> analyse -> summarise -> figures, and checks what the
degenerate result should be (a value with its reason), not only that nothing raised.
"""
from __future__ import annotations

import math

import pytest

import lifsim

FIGURES = {"formats": ["png"], "dpi": 30, "width": 4.0}
NEURON = {"tau_m": "10 ms", "R_m": "10 MOhm", "E_m": "-70 mV", "V_thr": "-54 mV", "V_reset": "E_m",
          "t_ref": "0 ms", "tau_syn": "5 ms", "g_star": "10 nS", "E_syn": "0 mV", "E_exc": "0 mV",
          "E_inh": "-100 mV", "g_exc": "0 nS", "g_inh": "0 nS", "I_e": "2 nA"}


def run_all(cfg):
    exp = lifsim.load(cfg)["x"]
    ds = exp.run()
    an = exp.analyse()
    numbers, text = exp.summarise()
    figs = exp.figures()
    assert ds.attrs["experiment"] == "x" and text.strip() and figs
    assert numbers["kind"] == cfg["experiments"]["x"]["kind"]
    for var in an.data_vars.values():
        assert "units" in var.attrs and "long_name" in var.attrs, var.name
    for fig in figs.values():
        assert fig.axes
    return an, text


def config(experiment, **neuron):
    return {"seed": 1, "integrator": "euler", "dt": "0.1 ms", "neuron": {**NEURON, **neuron},
            "experiments": {"x": experiment}, "figures": FIGURES}


def test_fi_curve_swept_over_E_m_alone():
    """A sweep of a parameter other than I_e (one value): rate against E_m, no rheobase bracket."""
    an, text = run_all(config({"kind": "fi_curve", "durations": ["20 ms"], "sweep": {"E_m": ["-60 mV"]},
                               "reset": True}))
    assert an["rate"].dims == ("estimator", "duration", "E_m")
    # I_e = 2 nA, E_m = -60 mV: V_inf = -40 mV above V_thr; the analytical rate is 1 / (tau ln((V_inf-V_r)/(V_inf-V_thr)))
    expected = 1e3 / (10 * math.log((-40 + 70) / (-40 + 54)))
    assert float(an["rate_analytical"].sel(E_m=-60)) == pytest.approx(expected, rel=1e-12)
    assert math.isnan(float(an["rheobase_measured"].isel(duration=0)))
    assert "I_e alone" in an["rheobase_measured"].attrs["comment"]
    assert "not measured" in text


@pytest.mark.parametrize("sweep", [{"I_e": ["1 nA", "3 nA"], "tau_m": ["5 ms", "10 ms", "20 ms"]},
                                   {"E_m": ["-60 mV"], "E_syn": ["0 mV"]}])
def test_fi_curve_swept_over_two_parameters(sweep):
    """Two swept parameters (2 x 3 points, or one point each): the count rate is spike count / its duration."""
    cfg = config({"kind": "fi_curve", "durations": ["20 ms", "30 ms"], "reset": True, "sweep": sweep})
    an, _ = run_all(cfg)
    ds = lifsim.load(cfg)["x"].run()
    assert an["max_abs_error"].dims == ("estimator", "duration")
    count = (ds["spike_count"] / (ds["duration"] * 1e-3)).transpose(*an["rate"].sel(estimator="count").dims)
    assert (an["rate"].sel(estimator="count").values == count.values).all()
    assert math.isnan(float(an["rheobase_measured"].isel(duration=0)))


def test_synaptic_response_without_presynaptic_spikes():
    """No presynaptic spike: the run stores no synapse parameters; the PSP is 0 and the driving force NaN."""
    cfg = config({"kind": "synaptic_response", "duration": "5 ms", "reset": False, "conditions": {"a": {}},
                  "presynaptic_spikes": [], "test_step": {"amplitude": "-0.1 nA", "duration": "5 ms"}},
                 tau_m="5 ms", R_m="5 MOhm", E_m="-65 mV", V_thr="-60 mV", tau_syn="2 ms", g_star="0 nS",
                 I_e="0 nA")
    cfg["dt"] = "0.05 ms"
    an, text = run_all(cfg)
    assert float(an["psp_amplitude"].sel(condition="a")) == 0.0
    assert math.isnan(float(an["driving_force"].sel(condition="a")))
    assert "no presynaptic spike" in an["driving_force"].attrs["comment"]
    assert float(an["charge_fixed_driving_force"].sel(condition="a")) == 0.0
    assert "no presynaptic spike" in text


@pytest.mark.parametrize("sweep", [{"g_exc": ["0 nS"]}, {"R_m": ["5 MOhm"]}, {"E_m": ["-90 mV"]}])
def test_synaptic_response_test_step_with_a_sweep(sweep):
    """A sweep of a passive parameter: the test-step closed forms carry the swept dimension too."""
    cfg = config({"kind": "synaptic_response", "duration": "5 ms", "reset": False, "conditions": {"a": {}},
                  "presynaptic_spikes": [], "sweep": sweep,
                  "test_step": {"amplitude": "-0.1 nA", "duration": "5 ms"}},
                 tau_m="5 ms", R_m="5 MOhm", E_m="-65 mV", V_thr="-60 mV", I_e="0 nA")
    an, _ = run_all(cfg)
    (dim,) = sweep
    for name in ("input_resistance_theory", "tau_eff_theory", "tau_eff_expected_fit", "rest_potential_theory"):
        assert set(an[name].dims) == {"condition", dim}, name
    assert float(an["input_resistance_theory"].squeeze()) == pytest.approx(5.0, rel=1e-12)   # R_m, no tonic g
    assert float(an["tau_eff_theory"].squeeze()) == pytest.approx(5.0, rel=1e-12)


@pytest.mark.parametrize("sweep", [None, {"E_m": ["-60 mV"]}])
def test_initial_conditions_one_trial_reset_off(sweep):
    """One trial (with a one-parameter sweep it keeps its trial dim); reset off stores no V_thr: theory is NaN."""
    exp = {"kind": "initial_conditions", "duration": "5 ms", "reset": False, "conditions": {"a": {}}, "trials": 1}
    if sweep:
        exp["sweep"] = sweep
    cfg = config(exp, tau_m="5 ms", R_m="5 MOhm", E_m="-65 mV", V_thr="-60 mV", I_e="0 nA")
    an, _ = run_all(cfg)
    assert "trial" in an["lag_mean"].dims and an.sizes["trial"] == 1
    assert bool(an["first_spike_theory"].isnull().all())
    assert "reset off" in an["first_spike_theory"].attrs["comment"]


def test_coupled_pair_reset_off_one_neuron():
    """Reset off: no V_thr is stored; the threshold shortfall is NaN with the reason, the figure has no threshold."""
    cfg = config({"kind": "coupled_pair", "duration": "5 ms", "reset": False, "conditions": {"a": {}},
                  "coupling": [[0]], "V_init": "-55 mV", "analysis_duration": "20 ms"},
                 tau_m="5 ms", R_m="5 MOhm", E_m="-65 mV", V_thr="-60 mV", I_e="0 nA")
    an, _ = run_all(cfg)
    assert bool(an["shortfall_max"].isnull().all())
    assert "reset off" in an["shortfall_max"].attrs["comment"]


def test_pair_grid_of_one_neuron_is_a_config_error():
    """A synchrony map needs a pair: a 1x1 coupling is refused at plan time with one line naming the key."""
    cfg = config({"kind": "pair_grid", "duration": "5 ms", "reset": True, "conditions": {"a": {}},
                  "sweep": {"E_m": ["-60 mV"], "tau_m": ["10 ms"]}, "coupling": [[0]], "V_init": "-55 mV"})
    with pytest.raises(lifsim.config.ConfigError) as err:
        lifsim.load(cfg)
    assert "experiments.x.coupling" in str(err.value) and "at least 2 neurons" in str(err.value)
    assert "\n" not in str(err.value)


def test_coupled_pair_nothing_recorded():
    """record: [] stores no trace: the trace panel says V was not recorded instead of failing."""
    cfg = config({"kind": "coupled_pair", "record": [], "duration": "5 ms", "reset": False,
                  "conditions": {"a": {}}, "coupling": [[0]], "V_init": "-55 mV", "analysis_duration": "20 ms"},
                 tau_m="5 ms", R_m="5 MOhm", E_m="-65 mV", V_thr="-60 mV", I_e="0 nA")
    exp = lifsim.load(cfg)["x"]
    assert "V" not in exp.run()
    run_all(cfg)
    texts = [t.get_text() for fig in exp.figures().values() for ax in fig.axes for t in ax.texts]
    assert any("V was not recorded" in t for t in texts)


def test_pair_grid_of_one_swept_parameter_is_a_config_error():
    cfg = config({"kind": "pair_grid", "duration": "5 ms", "reset": True, "sweep": {"E_m": ["-60 mV"]},
                  "conditions": {"a": {}}, "coupling": [[0, 1], [1, 0]], "V_init": "-55 mV"})
    with pytest.raises(lifsim.config.ConfigError) as err:
        lifsim.load(cfg)
    assert "experiments.x.sweep" in str(err.value) and "two swept parameters" in str(err.value)
