"""A config that validates runs to its figures: hypothesis draws configs from the schema's ranges.

Each drawn config (one experiment of a drawn kind, small durations) is checked as the pipeline checks it
(schema, then the physical checks of the kinds); one that passes must run in-process through simulate ->
gather -> analyse -> summarise -> figures without an exception (the stage functions the workflow scripts
call, via ``lifsim.study``). Degenerate results (a zero PSP, a silent neuron, one spike, an unrecorded
variable) are values, not crashes. Configs the checks refuse are not counted (``hypothesis.reject``).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import lifsim
from lifsim.config import ConfigError
from lifsim.sim.result import SimulationError

# at least 200 in all: 34 configs of each of the 6 kinds (one test per kind, so that workers share them)
KINDS = ["synaptic_response", "initial_conditions", "fi_curve", "coupled_pair", "pair_grid", "convergence"]
N_EXAMPLES = 34
RECORDABLE = ["V", "I_m", "I_syn", "g_syn", "x"]


def q(value: float, unit: str) -> str:
    return f"{value:.4g} {unit}"


def between(lo: float, hi: float, unit: str):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda v: q(v, unit))


# model parameters and their ranges (the schema takes any quantity; these stay inside the physical checks)
PARAMS = {
    "tau_m": between(5, 30, "ms"), "R_m": between(5, 20, "MOhm"), "E_m": between(-90, -60, "mV"),
    "t_ref": between(0, 3, "ms"), "tau_syn": between(2, 20, "ms"), "g_star": between(0, 80, "nS"),
    "E_syn": between(-100, 20, "mV"), "g_exc": between(0, 30, "nS"), "g_inh": between(0, 60, "nS"),
    "I_e": between(-1, 6, "nA"),
}


@st.composite
def neuron_overrides(draw, exclude=()):
    keys = draw(st.lists(st.sampled_from(sorted(set(PARAMS) - set(exclude))), max_size=3, unique=True))
    return {k: draw(PARAMS[k]) for k in keys}


@st.composite
def sweeps(draw, max_params=2):
    keys = draw(st.lists(st.sampled_from(sorted(PARAMS)), max_size=max_params, unique=True))
    return {k: draw(st.lists(PARAMS[k], min_size=1, max_size=3, unique=True)) for k in keys}


@st.composite
def conditions(draw, exclude=()):
    names = draw(st.lists(st.sampled_from(["a", "b", "c_1", "ctl"]), min_size=1, max_size=3, unique=True))
    return {n: draw(neuron_overrides(exclude)) for n in names}


@st.composite
def experiment(draw, kind):
    duration = draw(between(5, 40, "ms"))
    exp: dict = {"kind": kind}
    if kind == "convergence":
        return {"kind": kind, "dts": ["0.2 ms", "0.1 ms"],
                "fi_curve": {"duration": "30 ms", "I_e": {"start": "3 nA", "stop": "5 nA",
                                                          "num": draw(st.integers(1, 3))}},
                "synaptic_response": {"duration": "20 ms", "presynaptic_spikes": ["2 ms"]},
                "coupled_pair": {"duration": "20 ms", "conditions": {"x": draw(neuron_overrides())}},
                "noisy_fi_curve": {"trials": draw(st.integers(2, 4)), "duration": "20 ms", "isi_tail": "10 ms"}}
    if draw(st.booleans()):
        exp["record"] = draw(st.lists(st.sampled_from(RECORDABLE), max_size=5, unique=True))
    if kind == "fi_curve":
        exp["durations"] = draw(st.lists(between(5, 40, "ms"), min_size=1, max_size=2, unique=True))
        exp["sweep"] = draw(sweeps().filter(bool))
        exp["reset"] = True
        return exp
    exp["duration"] = duration
    exp["reset"] = draw(st.booleans()) if kind != "pair_grid" else True
    sweep = draw(sweeps()) if kind != "pair_grid" else draw(sweeps().filter(bool))
    if sweep:
        exp["sweep"] = sweep
    exp["conditions"] = draw(conditions(exclude=sweep))
    if kind == "synaptic_response":
        exp["presynaptic_spikes"] = draw(st.lists(between(0, 4, "ms"), max_size=3))
        exp["test_step"] = {"amplitude": draw(st.sampled_from(["-0.1 nA", "0.05 nA"])), "duration": duration}
    elif kind == "initial_conditions":
        exp["trials"] = draw(st.integers(1, 4))
    else:
        n = draw(st.integers(1, 4))
        weighted = draw(st.booleans())
        cell = st.sampled_from([0, "20 nS", "50 nS"]) if weighted else st.sampled_from([0, 1])
        exp["coupling"] = [[draw(cell) for _ in range(n)] for _ in range(n)]
        exp["V_init"] = draw(st.one_of(between(-80, -55, "mV"), st.lists(between(-80, -55, "mV"), min_size=n,
                                                                            max_size=n)))
        if kind == "coupled_pair":
            exp["analysis_duration"] = draw(between(20, 60, "ms"))
    return exp


@st.composite
def configs(draw, kind):
    e_m = draw(st.floats(-85, -65))
    thr = e_m + draw(st.floats(5, 35))
    return {
        "seed": draw(st.integers(0, 2**31)), "integrator": draw(st.sampled_from(["euler", "exact"])),
        "dt": draw(st.sampled_from(["0.05 ms", "0.1 ms"])),
        "neuron": {"tau_m": draw(PARAMS["tau_m"]), "R_m": draw(PARAMS["R_m"]), "E_m": q(e_m, "mV"),
                   "V_thr": q(thr, "mV"), "V_reset": draw(st.sampled_from(["E_m", q(thr - 10, "mV")])),
                   "t_ref": draw(PARAMS["t_ref"]), "tau_syn": draw(PARAMS["tau_syn"]),
                   "g_star": draw(PARAMS["g_star"]), "E_syn": draw(PARAMS["E_syn"]), "E_exc": "0 mV",
                   "E_inh": "-100 mV", "g_exc": draw(PARAMS["g_exc"]), "g_inh": draw(PARAMS["g_inh"]),
                   "I_e": draw(PARAMS["I_e"])},
        "experiments": {"x": draw(experiment(kind))},
        "figures": {"formats": ["png"], "dpi": 30, "width": 4.0},
    }


@pytest.mark.property
@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=N_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_config_that_validates_runs_to_its_figures(kind, data):
    cfg = data.draw(configs(kind))
    try:
        study = lifsim.load(cfg)
    except ConfigError:
        reject()   # refused with one config error: not a config that validates
    exp = study["x"]
    try:
        ds = exp.run()
    except SimulationError as exc:   # exact without t_ref may run away: refused loudly, by design
        assert "runaway" in str(exc) and "t_ref" in str(exc), exc
        reject()
    an = exp.analyse()
    numbers, text = exp.summarise()
    figs = exp.figures()
    assert ds.attrs["experiment"] == "x" and an.attrs["experiment"] == "x" and text.strip()
    assert numbers["kind"] == cfg["experiments"]["x"]["kind"] and figs
    for var in an.data_vars.values():   # every analysis number is labelled
        assert "units" in var.attrs and "long_name" in var.attrs, var.name
    for fig in figs.values():
        assert fig.axes
