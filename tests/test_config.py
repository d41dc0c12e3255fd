"""Config resolution: the default config reproduces the notebook; job params hold what the job uses."""
import copy

import pytest
from conftest import CONFIGS, default_config

from lifsim.config import ConfigError, canonical_json, validate_structure
from lifsim.planning import load, plan


def resolved(cfg):
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def test_default_config_resolves_to_the_notebook_jobs():
    _, plans = load(CONFIGS / "default.yaml")
    assert sorted(plans) == ["convergence", "coupled_pair", "fi_curve", "initial_conditions", "noisy_fi_curve",
                             "poisson_input", "stimulus_response", "synaptic_response", "synchrony_map"]
    assert sorted(plans["synaptic_response"].jobs) == ["excitatory", "inhibitory", "shunting"]
    assert sorted(plans["fi_curve"].jobs) == ["duration-100ms", "duration-500ms"]
    shunting = plans["synaptic_response"].jobs["shunting"]["neuron"]
    assert shunting["g_exc"] == 50e-9 and shunting["g_inh"] == 200e-9 and shunting["E_syn"] == 0.0
    fi = plans["fi_curve"].jobs["duration-500ms"]
    assert fi["grid"]["I_e"]["range"] == [0.0, 5e-9, 250, "linear"]
    pair = plans["coupled_pair"].jobs["strong_coupling"]
    assert pair["neuron"]["g_star"] == 60e-9 and pair["neuron"]["V_reset"] == -0.07


def test_fi_sweep_matches_numpy_linspace():
    import numpy as np

    from lifsim.sim.batch import grid_points

    _, plans = load(CONFIGS / "default.yaml")
    np.testing.assert_array_equal(grid_points(plans["fi_curve"].jobs["duration-100ms"]["grid"])["I_e"],
                                  np.linspace(0, 5e-9, 250))


def test_job_params_leave_out_what_the_job_does_not_use():
    plans = resolved(default_config())
    syn = plans["synaptic_response"].jobs["excitatory"]
    assert "V_thr" not in syn["neuron"] and "seed" not in canonical_json(syn)      # no reset, no draw
    fi = plans["fi_curve"].jobs["duration-100ms"]
    assert "g_star" not in fi["neuron"] and "I_e" not in fi["neuron"]             # no synapse; I_e swept


def test_spelling_and_key_order_do_not_change_job_params():
    a = default_config()
    b = copy.deepcopy(a)
    b["dt"] = "1.0e-4 s"
    b["neuron"] = dict(reversed(list(b["neuron"].items())))
    pa, pb = resolved(a), resolved(b)
    for name in pa:
        for job in pa[name].jobs:
            assert canonical_json(pa[name].jobs[job]) == canonical_json(pb[name].jobs[job])


def test_condition_overrides_experiment_overrides_shared_defaults():
    cfg = default_config()
    cfg["neuron"]["tau_m"] = "20 ms"
    cfg["experiments"]["coupled_pair"]["neuron"]["tau_m"] = "15 ms"
    cfg["experiments"]["coupled_pair"]["conditions"]["base"] = {"tau_m": "12 ms"}
    plans = resolved(cfg)
    assert plans["synaptic_response"].jobs["excitatory"]["neuron"]["tau_m"] == 0.02
    assert plans["coupled_pair"].jobs["low_drive"]["neuron"]["tau_m"] == 0.015
    assert plans["coupled_pair"].jobs["base"]["neuron"]["tau_m"] == 0.012


@pytest.mark.parametrize("mutate, path", [
    (lambda c: c["neuron"].__setitem__("tau_m", "10 mV"), "neuron.tau_m"),
    (lambda c: c["neuron"].__setitem__("tau_n", "10 ms"), "neuron.tau_n"),
    (lambda c: c["neuron"].__setitem__("V_reset", "-50 mV"), "neuron.V_reset"),
    (lambda c: c.__setitem__("dt", "5 ms"), "dt"),
])
def test_bad_values_name_their_key_path(mutate, path):
    cfg = default_config()
    mutate(cfg)
    with pytest.raises(ConfigError) as info:
        resolved(cfg)
    assert info.value.path == path
