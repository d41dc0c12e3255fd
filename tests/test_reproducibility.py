"""Identical results on every rerun: clean runs agree, random draws are keyed by identity, provenance is complete."""
from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import tiny_config

from lifsim import provenance, rng
from lifsim.config import canonical_json, sha256, validate_structure
from lifsim.planning import plan
from lifsim.sim.batch import initial_voltages

RESULT_STAGES = ("simulations", "datasets", "analysis")


def resolved(cfg: dict) -> dict:
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def result_files(folder: Path, pattern: str) -> list[str]:
    root = folder / "results"
    return sorted(str(p.relative_to(root)) for stage in RESULT_STAGES + ("figures",)
                  for p in (root / stage).rglob(pattern))


def load(path: Path) -> xr.Dataset:
    return xr.load_dataset(path, engine="netcdf4", decode_timedelta=False)


# ---- two clean runs (tiny_run at -c2, serial_run at -c1: session fixtures of tests/conftest.py) --------------

@pytest.mark.pipeline
def test_two_clean_runs_with_one_and_two_cores_give_identical_datasets(tiny_run, serial_run):
    files = result_files(tiny_run, "*.nc")
    assert len(files) >= 18 and files == result_files(serial_run, "*.nc")
    for rel in files:
        xr.testing.assert_identical(load(tiny_run / "results" / rel), load(serial_run / "results" / rel))


@pytest.mark.pipeline
def test_identical_results_are_identical_files(tiny_run, serial_run):
    """No time stamp in any .nc or figure file: same software, same parameters, same bytes."""
    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    files = result_files(tiny_run, "*.*")
    assert any(f.endswith(".png") for f in files)
    differing = [rel for rel in files if digest(tiny_run / "results" / rel) != digest(serial_run / "results" / rel)]
    assert differing == []


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_a_figure_saved_twice_is_the_same_file(tmp_path, fmt):
    from lifsim import io
    from lifsim.plotting.style import new_figure

    def draw(path):
        fig, axes = new_figure(3.0, 2.0)
        axes[0, 0].plot([0, 1, 2], [0, 1, 4], label="a")
        axes[0, 0].legend()
        io.save_figure(fig, path, 50)
        return path.read_bytes()

    assert draw(tmp_path / f"a.{fmt}") == draw(tmp_path / f"b.{fmt}")


# ---- random draws keyed by identity ----------------------------------------------------------------------------

def test_adding_a_condition_leaves_the_other_conditions_draws_alone():
    before = tiny_config()
    after = copy.deepcopy(before)
    ic = after["experiments"]["initial_conditions"]
    ic["conditions"] = {"aaa_first": {"I_e": "2 nA"}, **ic["conditions"], "zzz_last": {"I_e": "4 nA"}}
    old, new = resolved(before)["initial_conditions"].jobs, resolved(after)["initial_conditions"].jobs
    assert canonical_json(old["base"]) == canonical_json(new["base"])
    base = initial_voltages(new["base"], {})
    np.testing.assert_array_equal(initial_voltages(old["base"], {}), base)
    # each condition draws its own, different numbers from the same range
    for other in ("aaa_first", "zzz_last"):
        v = initial_voltages(new[other], {})
        assert not np.any(v == base) and np.all((v >= -0.085) & (v < -0.075))


def test_a_sweep_point_keeps_its_draw_when_the_sweep_grows():
    currents = [2e-9, 2.5e-9, 3e-9]
    grown = [1e-9, 1.5e-9, *currents, 3.5e-9]
    a = rng.uniform(1, "fi_curve", rng.keys_from_values(currents), -0.085, -0.075)
    b = rng.uniform(1, "fi_curve", rng.keys_from_values(grown), -0.085, -0.075)
    np.testing.assert_array_equal(a, b[2:5])
    assert len(set(b)) == len(b)                                       # distinct points, distinct draws
    c = rng.uniform(2, "fi_curve", rng.keys_from_values(currents), -0.085, -0.075)
    assert not np.any(a == c)                                           # another seed, other draws


def test_draws_of_the_default_sweep_look_uniform():
    """250 keyed draws spread over [low, high) like a uniform sample (Kolmogorov-Smirnov at the 0.1 % level)."""
    keys = rng.keys_from_values(np.linspace(0, 5e-9, 250))
    u = np.sort(rng.uniform(20261125, "fi_curve", keys, 0.0, 1.0))
    n = u.size
    d = max(np.max(np.arange(1, n + 1) / n - u), np.max(u - np.arange(n) / n))
    assert d < 1.95 / np.sqrt(n)


# ---- provenance ------------------------------------------------------------------------------------------------

NOISE_KINDS = ("noisy_fi_curve", "poisson_input", "stimulus_response")
VERSION_KEYS = ("version_python", "version_numpy", "version_xarray", "version_netCDF4", "version_snakemake")


@pytest.mark.pipeline
@pytest.mark.parametrize("stage", RESULT_STAGES)
def test_every_dataset_carries_its_provenance(tiny_run, stage):
    plans = resolved(tiny_config())
    for path in sorted((tiny_run / "results" / stage).rglob("*.nc")):
        attrs = load(path).attrs
        if "convergence" in path.parts or path.stem == "convergence":   # integrators and dts are its dimensions: own test file
            continue
        params = json.loads(attrs["lifsim_params"])
        assert attrs["lifsim_params"] == canonical_json(params)
        assert attrs["lifsim_params_sha256"] == sha256(attrs["lifsim_params"])
        experiment = attrs["experiment"]
        if experiment in NOISE_KINDS:   # their integrator is the experiment's own (exact), noise draws keyed by seed
            assert attrs["integrator"] in ("exact", "euler") and "seed" in attrs
            continue
        assert attrs["integrator"] == "euler" and attrs["dt_ms"] == pytest.approx(0.1, rel=1e-12)
        if experiment in ("initial_conditions", "fi_curve"):
            assert attrs["seed"] == 20261125
        else:
            assert attrs["seed"] == provenance.NO_SEED
        assert attrs["lifsim_version"] == "0.1.0"
        assert attrs["git_commit"] == "unknown"              # the test copy is not a git checkout
        for key in VERSION_KEYS:
            assert attrs[key] == provenance.software_versions()[key.removeprefix("version_")]
        jobs = plans[experiment].jobs
        if stage == "simulations":
            table = plans[experiment].analysis_jobs if path.parent.name == "analysis" else jobs
            assert params == json.loads(canonical_json(table[path.stem]))
        elif stage == "datasets":
            assert params == json.loads(canonical_json(jobs))
        else:
            assert params["dataset"] == json.loads(canonical_json(jobs))
            assert params["analysis"] == plans[experiment].analysis


def test_git_commit_names_the_checkout():
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?", provenance.git_commit())


def test_run_settings_of_jobs_with_and_without_draws():
    drawn = {"integrator": "euler", "dt": 1e-4, "V_init": {"uniform": [0, 1], "seed": 5, "stream": "s"}}
    fixed = {"integrator": "euler", "dt": 1e-4, "V_init": {"values": [0.0]}}
    assert provenance.run_settings([drawn, fixed]) == {"integrator": "euler", "dt_ms": pytest.approx(0.1),
                                                       "seed": 5}
    assert provenance.run_settings([fixed])["seed"] == provenance.NO_SEED
    assert provenance.run_settings([fixed, {**fixed, "dt": 5e-5}])["dt_ms"] == pytest.approx([0.05, 0.1])
