"""Degenerate results are values, not crashes; summaries say only what the run shows; every variable of every
.nc the pipeline writes has units and a long_name. Real simulations throughout (config -> jobs -> simulate ->
datasets -> analysis -> summary -> figures)."""
import numpy as np
import pytest
from experiment_helper import run_experiment as run_dataset

from lifsim import io
from lifsim.plotting import figures
from lifsim.summary import summarise


def run_experiment(name, edit=lambda exp, cfg: None):
    """The analysis, summary text and figures of one experiment of the default config, edited by ``edit``."""
    ds, an = run_dataset(name, edit)
    kind = an.attrs["kind"]
    _, text = summarise(kind, name, ds, an)
    return an, text, figures(kind, ds, an, {"width": 5.0, "dpi": 40})


def short_synaptic(exp, cfg):
    exp["duration"] = "60 ms"
    exp["presynaptic_spikes"] = ["10 ms"]
    exp["test_step"] = {"amplitude": "-0.1 nA", "duration": "60 ms"}


def test_a_zero_psp_is_nan_where_undefined_with_the_reason():
    def edit(exp, cfg):
        short_synaptic(exp, cfg)
        exp["conditions"]["at_rest"] = {"E_syn": "-80 mV"}            # E_m is -80 mV: no driving force
    an, text, _ = run_experiment("synaptic_response", edit)
    zero = an.sel(condition="at_rest")
    assert float(zero["psp_amplitude"]) == 0.0 and float(zero["psp_linear"]) == 0.0
    for name in ("psp_per_driving_force", "psp_peak_time", "psp_over_linear"):
        assert np.isnan(float(zero[name])) and "NaN" in an[name].attrs["comment"], name
    assert "at_rest 0 mV (V never leaves its initial value" in text
    assert "no ratio, the PSP of at_rest is 0 mV" in text


def test_a_variable_not_recorded_is_nan_with_the_reason():
    def edit(exp, cfg):
        short_synaptic(exp, cfg)
        exp["record"] = ["V"]
    an, text, figs = run_experiment("synaptic_response", edit)
    for name in ("I_syn_peak", "charge"):
        assert np.isnan(an[name].values).all()
        assert an[name].attrs["comment"] == "NaN: I_syn was not recorded (the experiment's record list)"
    assert np.isfinite(an["psp_amplitude"].values).all()
    assert "PSP peaks" in text and set(figs) == {"", "_test_step"}


def test_silent_neurons_and_single_spikes_are_values():
    def silent(exp, cfg):
        exp["neuron"] = {"I_e": "0 nA"}
    an, text, _ = run_experiment("initial_conditions", silent)
    assert np.isnan(an["spike_time"].values).all() and np.isnan(an["period_theory"].values).all()
    assert "Trial 0 never fired: no lag can be measured (NaN)." in text

    def one_spike(exp, cfg):
        exp["duration"] = "15 ms"                   # the first spike comes at ~10-16 ms, the period is ~14 ms
        exp["trials"] = 1
    an, text, _ = run_experiment("initial_conditions", one_spike)
    assert int(np.isfinite(an["spike_time"]).sum()) <= 1

    def silent_pair(exp, cfg):
        exp["neuron"]["I_e"] = "0 nA"
        exp["conditions"] = {"base": {}}
        exp["duration"], exp["analysis_duration"] = "30 ms", "100 ms"
    an, text, _ = run_experiment("coupled_pair", silent_pair)
    assert float(an["final_rate"].sel(condition="base")) == 0.0
    assert np.isnan(an["shortfall_max"].values).all() and "Not locked: base" in text


@pytest.mark.parametrize("integrator", ["euler", "exact"])
def test_summaries_say_what_the_integrator_does(integrator):
    def fi(exp, cfg):
        cfg["integrator"] = integrator
        exp["durations"] = ["100 ms"]
        exp["sweep"] = {"I_e": {"start": "3 nA", "stop": "5 nA", "num": 5}}
    _, text, _ = run_experiment("fi_curve", fi)
    assert ("sit on the 0.10 ms grid" in text) == (integrator == "euler")

    def trials(exp, cfg):
        cfg["integrator"] = integrator
        exp["duration"] = "60 ms"
    _, text, _ = run_experiment("initial_conditions", trials)
    assert ("The measured lags are multiples of the time step" in text) == (integrator == "euler")
    assert ("are not multiples of the time step" in text) == (integrator == "exact")


def test_a_ratio_is_called_equal_only_when_it_is():
    an, text, _ = run_experiment("synaptic_response", short_synaptic)
    assert "equal to within" in text and "Every deflection here scales with its driving force." in text

    def stronger(exp, cfg):
        short_synaptic(exp, cfg)
        exp["conditions"]["inhibitory"]["g_star"] = "60 nS"
    an, text, _ = run_experiment("synaptic_response", stronger)
    ratio = float(an["psp_amplitude"].sel(condition="excitatory") / an["psp_amplitude"].sel(condition="inhibitory"))
    assert abs(ratio / -4.0 - 1) > 0.01
    assert "equal to within" not in text and "the conditions also differ in g_star" in text
    assert "Not every ratio matches the driving-force ratio" in text


@pytest.mark.pipeline
def test_every_variable_of_every_netcdf_file_has_units_and_a_long_name(tiny_run):
    files = sorted((tiny_run / "results").rglob("*.nc"))
    assert any("analysis" in str(f) for f in files) and any("datasets" in str(f) for f in files)
    missing = []
    for path in files:
        ds = io.read_dataset(path)
        for name, var in ds.variables.items():
            if var.dtype.kind in "OSU":            # string coordinates (condition, estimator ...): a name suffices
                need = ("long_name",)
            else:
                need = ("units", "long_name")
            for attr in need:
                if attr not in var.attrs and not (attr == "units" and "flag_meanings" in var.attrs):
                    missing.append(f"{path.relative_to(tiny_run)}:{name}.{attr}")
    assert not missing, "\n".join(missing)
