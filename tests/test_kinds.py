"""The registry of experiment kinds: every kind declares itself in one module; sweeps in every kind,
N coupled neurons with weighted coupling; and a new kind is one module plus one registry line."""
from __future__ import annotations

import copy
import json
import re

import numpy as np
import pytest
from conftest import REPO, copy_workflow, snakemake, tiny_config

from lifsim import kinds
from lifsim.config import ConfigError, validate_structure
from lifsim.dataset import job_dataset
from lifsim.gather import gather_experiment
from lifsim.planning import full_schema, plan
from lifsim.sim import simulate


def plans_of(cfg):
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def only(cfg, name, exp):
    cfg = copy.deepcopy(cfg)
    cfg["experiments"] = {name: exp}
    return cfg


def gathered(p):
    return gather_experiment(p.kind, p.name, {n: job_dataset(j, simulate(j)) for n, j in sorted(p.jobs.items())})


@pytest.mark.parametrize("name", kinds.KINDS)
def test_each_registered_kind_declares_its_stages_figures_and_keys(name):
    kind = kinds.get(name)
    assert kind.name == name and kind.description
    for stage in ("simulate", "gather", "analyse", "summarise", "plot"):
        assert callable(kind.stage(stage)), stage
    captions = {**kind.figures, **kind.sweep_figures}
    assert kind.figures and all((REPO / "workflow" / "report" / f).is_file() for f in captions.values() if f)
    shared = full_schema()["definitions"]["experiment_keys"]["properties"]
    assert all(key in shared or key in kind.schema for key in kind.keys), name


def test_the_schemas_list_of_kinds_is_the_registry():
    props = full_schema()["properties"]["experiments"]["additionalProperties"]["properties"]
    assert props["kind"]["enum"] == list(kinds.KINDS)
    cfg = only(tiny_config(), "x", {"kind": "fi_curv"})
    with pytest.raises(ConfigError, match="did you mean 'fi_curve'") as info:
        plans_of(cfg)
    assert info.value.path == "experiments.x.kind"


def test_a_g_star_sweep_in_synaptic_response_is_a_dimension_with_the_configs_values():
    exp = {"kind": "synaptic_response", "duration": "60 ms", "reset": False, "presynaptic_spikes": ["10 ms"],
           "record": ["V", "I_syn"], "sweep": {"g_star": {"start": "10 nS", "stop": "60 nS", "num": 6}},
           "conditions": {"excitatory": {"E_syn": "0 mV"}, "inhibitory": {"E_syn": "-100 mV"}}}
    p = plans_of(only(tiny_config(), "psp", exp))["psp"]
    ds = gathered(p)
    assert ds["V"].dims == ("condition", "g_star", "time") and ds["g_star"].attrs["units"] == "nS"
    assert ds["g_star"].values.tolist() == [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]   # no float noise
    v30 = ds["V"].sel(condition="excitatory", g_star=30)
    peak = float((v30 - v30.isel(time=0)).max())
    assert 5 < peak < 7   # the notebook's 30 nS PSP is about 6.1 mV
    # the test-step probes depend on no swept synaptic parameter: one neuron each
    assert sorted(p.analysis_jobs) == ["excitatory-hold", "excitatory-step", "inhibitory-hold", "inhibitory-step"]
    assert all(j["grid"] == {} for j in p.analysis_jobs.values())


def test_a_swept_passive_parameter_reaches_the_test_step_probes():
    exp = {"kind": "synaptic_response", "duration": "30 ms", "reset": False, "presynaptic_spikes": ["5 ms"],
           "sweep": {"g_inh": ["0 nS", "100 nS"], "I_e": ["0 nA", "0.2 nA"]},
           "test_step": {"amplitude": "-0.1 nA", "duration": "30 ms"}}
    p = plans_of(only(tiny_config(), "s", exp))["s"]
    hold, step = p.analysis_jobs["base-hold"], p.analysis_jobs["base-step"]
    assert sorted(hold["grid"]) == ["I_e", "g_inh"] and hold["grid"]["g_inh"] == step["grid"]["g_inh"]
    assert np.allclose(np.subtract(step["grid"]["I_e"]["values"], hold["grid"]["I_e"]["values"]), -1e-10)


def test_trials_against_a_parameter_in_initial_conditions():
    exp = {"kind": "initial_conditions", "duration": "40 ms", "trials": 4, "neuron": {},
           "sweep": {"I_e": ["2 nA", "3 nA", "4 nA"]}}
    p = plans_of(only(tiny_config(), "ic", exp))["ic"]
    ds = gathered(p)
    assert ds["V"].dims == ("condition", "I_e", "trial", "time") and ds.sizes["trial"] == 4
    counts = ds["spike_count"].sel(condition="base")
    assert (counts.sel(I_e=4) >= counts.sel(I_e=2)).all() and int(counts.sel(I_e=2).sum()) == 0   # 2 nA < rheobase


def test_a_coupled_experiment_over_a_grid():
    exp = {"kind": "coupled_pair", "duration": "60 ms", "analysis_duration": "100 ms", "record": ["V"],
           "neuron": {"E_m": "-70 mV", "I_e": "3.5 nA", "t_ref": "2 ms"}, "sweep": {"g_star": ["10 nS", "40 nS"]}}
    p = plans_of(only(tiny_config(), "cp", exp))["cp"]
    ds = gathered(p)
    assert ds["V"].dims == ("condition", "g_star", "neuron", "time") and ds.sizes["neuron"] == 2


def test_a_parameter_set_by_the_sweep_and_by_a_condition_names_both_places():
    cfg = tiny_config()
    cfg["experiments"]["synchrony_map"]["conditions"]["excitatory"]["g_star"] = "45 nS"
    with pytest.raises(ConfigError) as info:
        plans_of(cfg)
    assert info.value.path == "experiments.synchrony_map.conditions.excitatory.g_star"
    assert "experiments.synchrony_map.sweep.g_star" in info.value.message
    cfg = tiny_config()
    cfg["experiments"]["fi_curve"]["neuron"] = {"I_e": "1 nA"}
    with pytest.raises(ConfigError, match=r"sweep\.I_e") as info:
        plans_of(cfg)
    assert info.value.path == "experiments.fi_curve.neuron.I_e"


CHAIN = [[0, 0, 0], ["30 nS", 0, 0], [0, "30 nS", 0]]
RING = [[1 if j == (i - 1) % 5 else 0 for j in range(5)] for i in range(5)]


def test_weighted_chains_and_rings_plan_as_n_neurons():
    base = {"kind": "coupled_pair", "duration": "50 ms", "analysis_duration": "100 ms", "record": ["V"],
            "neuron": {"E_m": "-70 mV", "I_e": "3.5 nA", "t_ref": "2 ms"}}
    cfg = tiny_config()
    cfg["experiments"] = {"chain": {**base, "coupling": CHAIN, "V_init": ["-60 mV", "-65 mV", "-70 mV"]},
                          "ring": {**base, "coupling": RING, "V_init": "-70 mV"}}
    plans = plans_of(cfg)
    chain = plans["chain"].jobs["base"]
    assert chain["coupling"] == [[0, 0, 0], [3e-08, 0, 0], [0, 3e-08, 0]] and chain["coupling_weights"] is True
    assert "g_star" not in chain["neuron"] and chain["batch"]["size"] == 3
    ring = plans["ring"].jobs["base"]
    assert ring["batch"]["size"] == 5 and "coupling_weights" not in ring and ring["neuron"]["g_star"] == 3e-08
    assert gathered(plans["ring"])["V"].dims == ("condition", "neuron", "time")


@pytest.mark.parametrize("matrix, where, what", [
    ([[0, 1], [1]], "coupling[1]", "square matrix"),
    ([[0, "30 nS"], [1, 0]], "coupling[1][0]", "missing unit"),   # one kind of entry per matrix
    ([[0, "-3 nS"], [0, 0]], "coupling[0][1]", "conductance >= 0"),
    ([[0, "3 mV"], [0, 0]], "coupling[0][1]", "conductance"),
    ([[0, 2], [1, 0]], "coupling[0][1]", "0 or 1"),
])
def test_bad_coupling_matrices_are_one_config_error(matrix, where, what):
    cfg = tiny_config()
    cfg["experiments"]["coupled_pair"]["coupling"] = matrix
    with pytest.raises(ConfigError, match=re.escape(what)) as info:
        plans_of(cfg)
    assert info.value.path == f"experiments.coupled_pair.{where}"


TINY_KIND = '''"""Kind ``resting_potential``: the membrane potential of a passive neuron at the end of its run."""
from ..config import jobs
from ..config.errors import join
from .base import Kind


def build(name, exp, common, seed, path):
    duration = jobs.duration(exp.get("duration", "50 ms"), join(path, "duration"), common["dt"])
    grid = jobs.sweep_grid(exp, path)
    out = {}
    for cond, neuron in jobs.conditions(name, exp, common, path, grid).items():
        out.update(jobs.sweep_jobs(name, exp, common, path, cond, neuron, duration, 1, grid))
    return out


def analyse(ds, options):
    final = ds["V"].isel(time=-1).drop_vars("time")
    return final.assign_attrs(long_name="V at the end of the run", units="mV").to_dataset(name="V_final")


def plot(ds, an, options):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(options["width"], 3))
    ax = fig.add_subplot()
    for cond in an["condition"].values:
        v = an["V_final"].sel(condition=cond)
        ax.plot(v[v.dims[0]], v, "o-", label=str(cond))
    ax.set_xlabel("I_e (nA)")
    ax.set_ylabel("final V (mV)")
    return {"": fig}


KIND = Kind(name="resting_potential", description="final V of a passive neuron", keys=("duration", "conditions",
            "sweep", "max_points_per_job", "record_spikes"), build=build,
            analyse="lifsim.kinds.resting_potential:analyse", plot="lifsim.kinds.resting_potential:plot",
            figures={"": ""})
'''


@pytest.mark.pipeline
def test_a_new_kind_is_one_module_and_one_registry_line(tmp_path):
    cfg = tiny_config()
    cfg["experiments"] = {"rest": {"kind": "resting_potential", "duration": "80 ms", "reset": False,
                                   "record": ["V"], "sweep": {"I_e": ["0 nA", "0.5 nA", "1 nA"]}}}
    folder = copy_workflow(tmp_path / "wf", cfg)
    kinds_dir = folder / "workflow" / "lifsim" / "kinds"
    (kinds_dir / "resting_potential.py").write_text(TINY_KIND, encoding="utf-8")           # one module
    registry = kinds_dir / "__init__.py"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace('REGISTRY = {\n', 'REGISTRY = {\n    "resting_potential": '
                                     '"lifsim.kinds.resting_potential",\n', 1), encoding="utf-8")   # one line
    snakemake(folder, "-c2")
    import xarray as xr

    an = xr.load_dataset(folder / "results" / "analysis" / "rest.nc")
    # the passive steady state E_m + R_m I_e after 8 time constants: -80, -75, -70 mV
    np.testing.assert_allclose(an["V_final"].sel(condition="base").values, [-80, -75, -70], atol=0.01)
    assert (folder / "results" / "figures" / "rest.png").stat().st_size > 1000
    summary = json.loads((folder / "results" / "summaries" / "rest.json").read_text())
    assert summary["kind"] == "resting_potential" and summary["experiment"] == "rest"
    changed = sorted(str(p.relative_to(folder)) for p in (folder / "workflow").rglob("*.py")
                     if "__pycache__" not in p.parts and (not (REPO / p.relative_to(folder)).is_file() or
                                                          p.read_bytes() != (REPO / p.relative_to(folder)).read_bytes()))
    assert changed == ["workflow/lifsim/kinds/__init__.py", "workflow/lifsim/kinds/resting_potential.py"]


@pytest.mark.parametrize("mutate, path, words", [
    (lambda c: c["experiments"].__setitem__("fi_curve_error", copy.deepcopy(c["experiments"]["fi_curve"])),
     "experiments.fi_curve_error", "'_error' figure of experiment 'fi_curve'"),
    (lambda c: c["experiments"].__setitem__("coupled_pair_isi", copy.deepcopy(c["experiments"]["synchrony_map"])),
     "experiments.coupled_pair_isi", "'_isi' figure of experiment 'coupled_pair'"),
    (lambda c: c["experiments"].__setitem__("Fi_curve", copy.deepcopy(c["experiments"]["fi_curve"])),
     "experiments.fi_curve", "differ in more than case"),
    (lambda c: c["experiments"]["coupled_pair"]["conditions"].__setitem__("Base", {}),
     "experiments.coupled_pair.conditions", "'base' and 'Base'"),
    (lambda c: c["experiments"]["coupled_pair"]["conditions"].__setitem__("x" * 100, {}),
     "experiments.coupled_pair.conditions." + "x" * 100, "at most 64 characters"),
    (lambda c: c["experiments"]["fi_curve"].update(max_points_per_job=1, sweep={"I_e": {
        "start": "0 nA", "stop": "5 nA", "num": 20000}}), "experiments.fi_curve.max_points_per_job", "at most 2000"),
    (lambda c: c["experiments"]["fi_curve"].update(max_points_per_job=1, sweep={"I_e": {
        "start": "0 nA", "stop": "5 nA", "num": 10**8}}), "experiments.fi_curve.max_points_per_job", "at most 2000"),
])
def test_names_whose_files_would_collide_and_too_many_jobs_are_refused_before_planning(mutate, path, words):
    cfg = tiny_config()
    mutate(cfg)
    with pytest.raises(ConfigError) as info:
        plans_of(cfg)
    assert info.value.path == path and words in info.value.message


@pytest.mark.pipeline
def test_the_pipeline_runs_from_any_working_directory(tmp_path):
    """snakemake -s <checkout>/Snakefile -d <dir>: code inputs and the config resolve; results land in <dir>."""
    cfg = tiny_config()
    cfg["experiments"] = {"initial_conditions": cfg["experiments"]["initial_conditions"]}
    checkout = copy_workflow(tmp_path / "checkout", cfg)
    work = tmp_path / "work"
    snakemake(tmp_path, "-s", str(checkout / "Snakefile"), "-d", str(work), "-c2")
    assert (work / "results" / "figures" / "initial_conditions.png").is_file()
    assert not (checkout / "results").exists()
    assert "Nothing to be done" in snakemake(tmp_path, "-s", str(checkout / "Snakefile"), "-d", str(work),
                                             "-n", "-c1").stdout


@pytest.mark.pipeline
def test_the_studies_config_runs_to_its_figures_with_labelled_datasets(tmp_path):
    import xarray as xr

    from lifsim.config import load_yaml

    cfg = load_yaml(REPO / "tests" / "configs" / "studies.yaml")
    folder = copy_workflow(tmp_path / "wf", cfg)
    snakemake(folder, "-c2")
    results = folder / "results"
    for name in cfg["experiments"]:
        assert (results / "figures" / f"{name}.png").stat().st_size > 1000
    ds = xr.load_dataset(results / "datasets" / "psp_vs_g_star.nc")
    assert ds["V"].dims == ("condition", "g_star", "time") and float(ds["g_star"].sel(g_star=30)) == 30.0
    chain = xr.load_dataset(results / "datasets" / "chain3.nc")
    assert chain.sizes["neuron"] == 3 and int(chain["spike_count"].sum()) > 0
    for path in sorted(results.rglob("*.nc")):   # every variable of every file says what it holds
        for name, var in xr.load_dataset(path).variables.items():
            assert "long_name" in var.attrs, (path.name, name)
            if var.dtype.kind == "f":
                assert "units" in var.attrs, (path.name, name)
