"""The SLURM profile (profiles/slurm) without a SLURM: it parses, names only real options and rules, and the
workflow hands each simulation job its memory estimate. The real-cluster run is scripts/slurm/ (see README)."""
import importlib.util
import re

import pytest
import yaml
from conftest import REPO, copy_workflow, snakemake, tiny_config

from lifsim.config import load_yaml
from lifsim.config.resources import job_mem_mb
from lifsim.planning import plan

PROFILE = REPO / "profiles" / "slurm" / "config.yaml"
PLUGIN = importlib.util.find_spec("snakemake_executor_plugin_slurm") is not None


@pytest.fixture(scope="module")
def profile() -> dict:
    return yaml.safe_load(PROFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules() -> set:
    out = snakemake(REPO, "--list-rules", "--cores", "1").stdout
    names = {line.strip() for line in out.splitlines() if re.fullmatch(r"\s*[A-Za-z_]\w*\s*", line)}
    assert {"simulate_job", "gather_experiment", "all"} <= names
    return names


def test_profile_uses_the_slurm_executor_and_bounds_the_queue(profile):
    assert profile["executor"] == "slurm"
    assert isinstance(profile["jobs"], int) and profile["jobs"] > 0
    assert profile["rerun-incomplete"] is True
    assert {"mem_mb", "runtime"} <= set(profile["default-resources"])


def test_profile_keys_are_snakemake_options(profile):
    help_text = snakemake(REPO, "--help").stdout
    for key in profile:
        if key.startswith("slurm-") and not PLUGIN:
            continue  # the plugin adds its own options; without it snakemake does not list them
        assert re.search(rf"--{re.escape(key)}\b", help_text), f"not a snakemake option: {key}"


def test_profile_names_only_existing_rules_and_groups(profile, rules):
    for section in ("set-threads", "set-resources", "groups"):
        assert set(profile.get(section) or {}) <= rules, section
    # the threads of a simulation job come from its size (the workflow's job_threads): not pinned here
    assert "simulate_job" not in (profile.get("set-threads") or {})
    assert set(profile["group-components"]) <= set(profile["groups"].values())
    # the memory estimate lives in the workflow: the profile must not override it for simulations
    assert "mem_mb" not in profile["set-resources"].get("simulate_job", {})


def test_workflow_holds_no_site_details():
    sources = [REPO / "Snakefile", *(REPO / "workflow").rglob("*.smk")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for word in ("slurm_partition", "slurm_account", "partition", "qos", "executor"):
            assert word not in text, (path.name, word)


def test_each_simulation_job_gets_its_memory_estimate(tmp_path):
    config = tiny_config()
    config["experiments"]["initial_conditions"]["trials"] = 400   # one job large enough to exceed the base
    config["experiments"]["initial_conditions"]["duration"] = "1000 ms"
    folder = copy_workflow(tmp_path, config)
    out = snakemake(folder, "-n", "--cores", "1").stdout
    blocks = re.findall(r"rule simulate_job:(.*?)\n\n", out + "\n\n", re.S)
    plans = plan(load_yaml(folder / "config.yaml"))
    # every simulation job of every experiment (analysis-only runs and a convergence study's jobs included)
    assert len(blocks) == sum(len(p.job_files()) for p in plans.values())
    requests = set()
    for block in blocks:
        experiment, name = re.search(r"wildcards: experiment=(\w+), job=([\w./-]+)", block).groups()
        mem = int(re.search(r"mem_mb=(\d+)", block).group(1))
        params = plans[experiment].job_files()[name]
        assert mem == job_mem_mb(params.get("job", params)), (experiment, name)
        requests.add(mem)
    assert len(requests) >= 2          # sizes differ, so do the requests
