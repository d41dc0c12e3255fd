"""lifsim.simulate: one call from a notebook, checked like config.yaml, the dataset a pipeline job writes."""
from __future__ import annotations

import pytest

import lifsim
from lifsim.config import ConfigError


def test_one_call_gives_a_labelled_dataset_of_the_notebooks_neuron():
    ds = lifsim.simulate(duration="100 ms", neuron={"I_e": "3 nA", "t_ref": "2 ms"}, record=["V"])
    assert ds["V"].dims == ("time",) and ds["V"].attrs["units"] == "mV" and ds["time"].attrs["units"] == "ms"
    assert float(ds["I_e"]) == 3.0 and ds["I_e"].attrs["units"] == "nA" and ds.attrs["integrator"] == "exact"
    # the analytical period at 3 nA: t_ref + tau_m ln((E_m + R_m I_e - V_reset) / (E_m + R_m I_e - V_thr))
    import math

    period = 2 + 10 * math.log(30 / 4)
    assert float(ds["mean_isi"]) == pytest.approx(period, rel=1e-9)
    assert "lifsim_params" in ds.attrs and ds.attrs["kind"] == "synaptic_response"


def test_a_sweep_is_a_dimension_and_presynaptic_spikes_drive_the_synapse():
    ds = lifsim.simulate(duration="60 ms", reset=False, presynaptic_spikes=["10 ms"], record=["V"],
                         sweep={"g_star": ["10 nS", "30 nS"]})
    assert ds["V"].dims == ("g_star", "time")
    peaks = (ds["V"] - ds["V"].isel(time=0)).max("time")
    assert float(peaks.sel(g_star=30)) > float(peaks.sel(g_star=10)) > 0


@pytest.mark.parametrize("kwargs, path, words", [
    ({"neuron": {"I_e": 2.8}}, "neuron.I_e", "bare number 2.8 (missing unit)"),
    ({"neuron": {"tau_m": 10}}, "neuron.tau_m", "expected a time"),
    ({"duration": "10 mV"}, "experiments.simulation.duration", "expected a time"),
    ({"neuron": {"tau_n": "10 ms"}}, "neuron.tau_n", "did you mean 'tau_m'"),
])
def test_a_bad_value_is_one_config_error_naming_the_unit_expected(kwargs, path, words):
    with pytest.raises(ConfigError) as info:
        lifsim.simulate(**kwargs)
    assert info.value.path == path and words in info.value.message
