"""``--configfile`` overlays are layered on config.yaml key by key (Snakemake's own order and merge).

The merge is checked in-process (lifsim.config.merge / load_merged) and through the real snakemake: an
overlay holding only what differs plans and runs, its nested values reach the jobs, the rest of
config.yaml stays, and ``configs/fi_sweep_1M.yaml`` (an overlay) plans its 8 jobs.
"""
import json
import re
import shutil

import pytest
import xarray as xr
import yaml
from conftest import REPO, copy_workflow, snakemake, tiny_config
from forked_snakemake import run as forked

from lifsim.config import ConfigError, load_merged, merge


def write(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def job_counts(text: str) -> dict:
    """The 'Job stats' table of a dry run: rule -> count."""
    table = text[text.index("Job stats:"):]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M) if m[1] != "total"}


def test_merge_is_recursive_for_mappings_and_replaces_everything_else():
    base = {"dt": "0.1 ms", "neuron": {"tau_m": "10 ms", "E_m": "-80 mV"}, "figures": {"formats": ["png", "pdf"]}}
    over = {"neuron": {"tau_m": "20 ms"}, "figures": {"formats": ["png"]}, "seed": 3}
    merged = merge(base, over)
    assert merged == {"dt": "0.1 ms", "neuron": {"tau_m": "20 ms", "E_m": "-80 mV"},
                      "figures": {"formats": ["png"]}, "seed": 3}
    assert base["neuron"]["tau_m"] == "10 ms" and base["figures"]["formats"] == ["png", "pdf"]  # inputs untouched
    merged["neuron"]["E_m"] = "0 mV"
    assert base["neuron"]["E_m"] == "-80 mV"   # no shared sub-mapping
    assert merge({"a": {"b": 1}}, {"a": 5}) == {"a": 5} and merge({"a": 5}, {"a": {"b": 1}}) == {"a": {"b": 1}}


def test_load_merged_layers_files_in_order_and_overrides_last(tmp_path):
    base = write(tmp_path / "config.yaml", tiny_config())
    a = write(tmp_path / "a.yaml", {"dt": "0.05 ms", "neuron": {"tau_m": "20 ms"}})
    b = write(tmp_path / "b.yaml", {"neuron": {"tau_m": "30 ms", "g_star": "40 nS"}})
    merged = load_merged([base, a, b], {"neuron": {"E_m": "-70 mV"}})
    neuron = merged["neuron"]
    assert (merged["dt"], neuron["tau_m"], neuron["g_star"], neuron["E_m"]) == ("0.05 ms", "30 ms", "40 nS", "-70 mV")
    assert neuron["R_m"] == tiny_config()["neuron"]["R_m"] and merged["seed"] == tiny_config()["seed"]
    with pytest.raises(ConfigError, match="expected the required key|required"):
        load_merged([a])   # an overlay alone is not a whole config
    with pytest.raises(ConfigError, match=r"^config error at <top level>: expected a config file at .*missing\.yaml"):
        load_merged([base, tmp_path / "missing.yaml"])


@pytest.mark.pipeline
def test_an_overlay_holds_only_what_differs_and_reaches_the_jobs(tmp_path):
    folder = copy_workflow(tmp_path / "wf", tiny_config())
    overlay = write(tmp_path / "overlay.yaml", {
        "experiments": {"synaptic_response": {"duration": "30 ms", "conditions": {"excitatory": {"g_star": "45 nS"}}}},
    })
    target = "results/simulations/synaptic_response/excitatory.nc"
    snakemake(folder, "-c1", target, "--configfile", str(overlay))
    ds = xr.load_dataset(folder / target, engine="netcdf4", decode_timedelta=False)
    time = ds["time"]
    assert time.attrs["units"] == "ms" and float(time[-1]) == pytest.approx(30.0)   # overlay: 30 ms, not 60 ms
    params = json.loads(ds.attrs["lifsim_params"])
    assert params["neuron"]["g_star"] == pytest.approx(45e-9)   # the overlay's nested condition value
    # config.yaml's own keys stayed: its presynaptic spike and neuron, and the other experiments
    assert params["presynaptic_spikes"] == [0.01] and params["neuron"]["tau_m"] == pytest.approx(0.01)
    dry = snakemake(folder, "-n", "-c1", "--configfile", str(overlay)).stdout
    counts = job_counts(dry)
    for experiment in tiny_config()["experiments"]:
        assert f"results/datasets/{experiment}.nc" in dry, experiment
    assert counts["simulate_job"] > 1


@pytest.mark.pipeline
def test_overlays_layer_in_command_line_order(tmp_path):
    folder = copy_workflow(tmp_path / "wf", tiny_config())
    one = write(tmp_path / "one.yaml", {"experiments": {"fi_curve": {"durations": ["50 ms"]}}})
    three = write(tmp_path / "three.yaml", {"experiments": {"fi_curve": {"durations": ["20 ms", "30 ms", "40 ms"]}}})
    fi_jobs = []
    for files in ([one], [one, three], [three, one]):
        proc = forked(folder, "-n", "-c1", "results/datasets/fi_curve.nc", "--configfile", *map(str, files))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        fi_jobs.append(job_counts(proc.stdout)["simulate_job"])
    assert fi_jobs == [1, 3, 1]   # one job per duration; the sweep itself came from config.yaml


@pytest.mark.pipeline
def test_a_bad_value_in_an_overlay_is_one_line_naming_the_key(tmp_path):
    folder = copy_workflow(tmp_path / "wf", tiny_config())
    overlay = write(tmp_path / "overlay.yaml", {"neuron": {"tau_m": "10 mV"}})
    proc = forked(folder, "-n", "-c1", "--configfile", str(overlay))
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in text, text
    assert text.count("lifsim: config error at neuron.tau_m") == 1, text


@pytest.mark.pipeline
def test_the_one_million_point_overlay_plans_its_eight_jobs(tmp_path):
    folder = copy_workflow(tmp_path / "wf")
    shutil.copytree(REPO / "configs", folder / "configs")
    overlay = yaml.safe_load((folder / "configs" / "fi_sweep_1M.yaml").read_text())
    assert set(overlay) == {"experiments", "figures"}   # only what differs from config.yaml
    proc = forked(folder, "-n", "-c1", "plot_fi_curve_1M", "--configfile", "configs/fi_sweep_1M.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert job_counts(proc.stdout)["simulate_job"] == 8
