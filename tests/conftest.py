"""Shared test helpers: a copy of the workflow in a temporary folder, and the real snakemake."""
from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))

import forked_snakemake  # noqa: E402
import schedule  # noqa: E402
import shared_runs  # noqa: E402

from lifsim.config import load_yaml  # noqa: E402

COPY_ITEMS = ("Snakefile", "workflow", "profiles")
CONFIGS = REPO / "tests" / "configs"   # the suite's own configs: editing the user's config.yaml breaks no test


def default_config() -> dict:
    """The default config as the suite knows it (tests/configs/default.yaml, a copy of config.yaml)."""
    return load_yaml(CONFIGS / "default.yaml")


def tiny_config() -> dict:
    """The default config, shrunk so that the whole pipeline runs in a few seconds."""
    cfg = copy.deepcopy(default_config())
    exps = cfg["experiments"]
    exps["synaptic_response"]["duration"] = "60 ms"
    exps["synaptic_response"]["presynaptic_spikes"] = ["10 ms"]
    exps["initial_conditions"]["duration"] = "40 ms"
    exps["fi_curve"]["durations"] = ["50 ms", "100 ms"]
    exps["fi_curve"]["sweep"] = {"I_e": {"start": "2 nA", "stop": "5 nA", "num": 12}}
    exps["synchrony_map"]["duration"] = "100 ms"
    exps["synchrony_map"]["sweep"] = {"g_star": ["20 nS", "40 nS"], "tau_syn": ["5 ms", "10 ms"], "t_ref": ["0 ms", "2 ms"]}
    exps["coupled_pair"]["duration"] = "30 ms"
    conv = exps["convergence"]
    conv["dts"] = ["0.2 ms", "0.1 ms", "0.05 ms"]
    conv["fi_curve"] = {"duration": "100 ms", "I_e": {"start": "3 nA", "stop": "5 nA", "num": 3}}
    conv["synaptic_response"]["duration"] = "30 ms"
    conv["coupled_pair"]["duration"] = "30 ms"
    conv["noisy_fi_curve"].update(dts=["0.2 ms", "0.1 ms"], trials=40, duration="100 ms", isi_tail="100 ms")
    exps["coupled_pair"]["analysis_duration"] = "150 ms"
    exps["coupled_pair"]["conditions"] = {k: v for k, v in exps["coupled_pair"]["conditions"].items()
                                          if k in ("base", "strong_coupling", "inhibitory", "base_t_ref_2ms")}
    exps["synaptic_response"]["test_step"] = {"amplitude": "-0.1 nA", "duration": "60 ms"}
    noisy = exps["noisy_fi_curve"]
    noisy.update(duration="200 ms", burn_in="50 ms", isi_tail="100 ms", trials=8)
    noisy["sweep"] = {"I_e": ["2.4 nA", "3 nA"], "noise.sigma": ["0 mV", "4 mV"]}
    exps["stimulus_response"]["duration"] = "60 ms"
    exps["stimulus_response"]["stimuli"] = {
        "step_sub": [{"kind": "step", "amplitude": "2 nA", "start": "10 ms", "stop": "40 ms"}],
        "step": [{"kind": "step", "amplitude": "3 nA", "start": "10 ms", "stop": "40 ms"}]}
    exps["poisson_input"].update(duration="100 ms", burn_in="20 ms", trials=4)
    exps["poisson_input"]["sweep"] = {"poisson_input.rate": ["1600 Hz", "6400 Hz"]}
    cfg["figures"] = {"formats": ["png"], "dpi": 40, "width": 5.0}
    return cfg


def copy_workflow(dest: Path, config: dict | None = None) -> Path:
    """Copy the workflow (code, profile, config; no results) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".snakemake", "results")
    for item in COPY_ITEMS:
        src = REPO / item
        if src.is_dir():
            shutil.copytree(src, dest / item, ignore=ignore)
        else:
            shutil.copy2(src, dest / item)
    write_config(dest, default_config() if config is None else config)
    return dest


def write_config(folder: Path, config: dict) -> None:
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def snakemake(folder: Path, *args: str, check: bool = True, timeout: float = 300,
              env: dict | None = None, fork: bool = True) -> subprocess.CompletedProcess:
    """Run the real snakemake in ``folder``; on failure with check=True, fail showing its output.

    By default its command line runs in a child forked from the test process (``forked_snakemake``), which has
    imported snakemake once; ``fork=False`` runs ``python -m snakemake`` as a new process (the shared runs,
    the killed runs of tests/test_faults.py and the check that both give the same run do so).
    """
    if fork:
        proc = forked_snakemake.run(folder, *args, timeout=timeout, env=env)
    else:
        proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=folder, capture_output=True,
                              text=True, timeout=timeout, env=None if env is None else {**os.environ, **env})
    if check and proc.returncode != 0:
        pytest.fail(f"snakemake {' '.join(args)} exited {proc.returncode}:\n{proc.stdout[-4000:]}\n"
                    f"{proc.stderr[-4000:]}")
    return proc


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """The costliest modules first, those that read a shared run once it is being built (tests/schedule.py);
    the tests that go to one worker together marked as a group of ``--dist loadgroup``."""
    items[:] = schedule.order(items, lambda item: any(name in item.fixturenames for name in shared_runs.RUNS))
    for item in items:
        if schedule.module_of(item) in schedule.GROUPS:
            item.add_marker(pytest.mark.xdist_group(schedule.GROUPS[schedule.module_of(item)]))


def tiny_workflow(folder: Path) -> Path:
    return copy_workflow(folder, tiny_config())


@pytest.fixture(scope="session", autouse=True)
def shared_runs_started(request, tmp_path_factory) -> None:
    """Start the shared runs that the selected tests read, in the background, when the session begins."""
    needed = sorted({name for item in request.session.items for name in shared_runs.RUNS
                     if name in item.fixturenames})
    for name in needed:
        shared_runs.start(shared_runs.shared_root(tmp_path_factory), name, tiny_workflow)


def pytest_sessionfinish(session, exitstatus) -> None:
    shared_runs.finish(interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> Path:
    """A complete pipeline run of the tiny config at -c2, one per session (tests/shared_runs.py); read-only:
    a test that changes anything in it works on a copy (``copy_run``). Its jobs also record the modules they
    imported (``imports.jsonl``, lifsim.io.record_imports; see tests/test_codedeps.py)."""
    return shared_runs.wait(shared_runs.shared_root(tmp_path_factory), "tiny_run", tiny_workflow)


@pytest.fixture(scope="session")
def serial_run(tmp_path_factory) -> Path:
    """A second clean run of the tiny config, one job at a time (``tiny_run`` runs jobs two at a time)."""
    return shared_runs.wait(shared_runs.shared_root(tmp_path_factory), "serial_run", tiny_workflow)
