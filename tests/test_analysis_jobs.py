"""The simulations only the analysis reads: what their params hold, and which config keys they accept."""
import copy

import pytest
from conftest import default_config

from lifsim.config import ConfigError, canonical_json, validate_structure
from lifsim.planning import plan


def resolved(cfg):
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def test_test_step_jobs_are_passive_neurons_at_the_holding_current_and_one_step_above():
    plans = resolved(default_config())
    hold = plans["synaptic_response"].analysis_jobs["shunting-hold"]
    step = plans["synaptic_response"].analysis_jobs["shunting-step"]
    for probe in (hold, step):
        assert probe["reset"] is False and probe["presynaptic_spikes"] == [] and probe["record"] == ["V"]
        assert probe["batch"]["dim"] is None and probe["grid"] == {}
        assert probe["duration"] == 0.1
        assert not {"g_star", "tau_syn", "E_syn", "V_thr"} & set(probe["neuron"])   # unused: no rerun trigger
        assert probe["neuron"]["g_exc"] == 50e-9 and probe["neuron"]["g_inh"] == 200e-9
    assert hold["neuron"]["I_e"] == 0.0 and step["neuron"]["I_e"] == -1e-10 and step["test_step"] == -1e-10
    assert "test_step" not in hold
    # the condition's figure job is untouched by the probe
    assert plans["synaptic_response"].jobs["shunting"]["presynaptic_spikes"] == [0.04]


def test_long_pair_runs_are_the_figure_runs_for_longer_without_traces():
    plans = resolved(default_config())
    pair = plans["coupled_pair"]
    assert sorted(pair.analysis_jobs) == sorted(pair.jobs)
    for name, long in pair.analysis_jobs.items():
        short = pair.jobs[name]
        assert long["duration"] == 1.0 and long["record"] == []
        assert {k: v for k, v in long.items() if k not in ("duration", "record", "condition")} == \
            {k: v for k, v in short.items() if k not in ("duration", "record", "condition")}


def test_changing_the_test_step_changes_only_the_probe_jobs():
    a = default_config()
    b = copy.deepcopy(a)
    b["experiments"]["synaptic_response"]["test_step"]["amplitude"] = "-50 pA"
    pa, pb = resolved(a), resolved(b)
    for job in pa["synaptic_response"].jobs:
        assert canonical_json(pa["synaptic_response"].jobs[job]) == canonical_json(pb["synaptic_response"].jobs[job])
        probes_a, probes_b = pa["synaptic_response"].analysis_jobs, pb["synaptic_response"].analysis_jobs
        assert canonical_json(probes_a[f"{job}-hold"]) == canonical_json(probes_b[f"{job}-hold"])
        assert canonical_json(probes_a[f"{job}-step"]) != canonical_json(probes_b[f"{job}-step"])


@pytest.mark.parametrize("experiment, key, value, path", [
    ("fi_curve", "test_step", {"amplitude": "-0.1 nA"}, "experiments.fi_curve.test_step"),
    ("synaptic_response", "analysis_duration", "1 s", "experiments.synaptic_response.analysis_duration"),
    ("synaptic_response", "test_step", {"amplitude": "0 nA"}, "experiments.synaptic_response.test_step.amplitude"),
    ("coupled_pair", "analysis_duration", "10 mV", "experiments.coupled_pair.analysis_duration"),
])
def test_analysis_job_keys_are_checked(experiment, key, value, path):
    cfg = default_config()
    cfg["experiments"][experiment][key] = value
    with pytest.raises(ConfigError) as info:
        resolved(cfg)
    assert info.value.path == path
