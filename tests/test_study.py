"""The Python API runs the pipeline's code path: lifsim.load(...)[name].run() is the pipeline's dataset."""
from __future__ import annotations

import pytest
import xarray as xr
from conftest import tiny_config

import lifsim
from lifsim import io


def comparable(ds: xr.Dataset) -> xr.Dataset:
    """Without the attribute that names the checkout's commit (the pipeline ran in a copy outside git)."""
    out = ds.copy()
    out.attrs = {k: v for k, v in ds.attrs.items() if k != "git_commit"}
    return out


@pytest.mark.pipeline
@pytest.mark.parametrize("name", ["fi_curve", "synaptic_response", "coupled_pair"])
def test_run_and_analyse_equal_the_pipelines_files(tiny_run, name):
    exp = lifsim.load(tiny_config())[name]
    xr.testing.assert_identical(comparable(exp.run()),
                                comparable(io.read_dataset(tiny_run / "results" / "datasets" / f"{name}.nc")))
    xr.testing.assert_identical(comparable(exp.analyse()),
                                comparable(io.read_dataset(tiny_run / "results" / "analysis" / f"{name}.nc")))


def test_a_study_lists_its_experiments_and_their_jobs():
    study = lifsim.load(tiny_config())
    assert sorted(study) == ["convergence", "coupled_pair", "fi_curve", "initial_conditions", "noisy_fi_curve",
                             "poisson_input", "stimulus_response", "synaptic_response", "synchrony_map"]
    assert "analysis/base" in study["coupled_pair"].jobs and study["coupled_pair"].kind.name == "coupled_pair"
    numbers, text = study["initial_conditions"].summarise()
    assert numbers["experiment"] == "initial_conditions" and text
    figs = study["initial_conditions"].figures()
    assert set(figs) == {""} and figs[""].axes
