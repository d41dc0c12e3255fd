"""The three noise and stimulus kinds through the real snakemake, to labelled files and figures."""
from __future__ import annotations

import json

import pytest
from conftest import copy_workflow, snakemake, tiny_config


@pytest.mark.pipeline
def test_the_noise_kinds_run_through_snakemake(tmp_path):
    import xarray as xr

    cfg = tiny_config()
    exps = cfg["experiments"]
    cfg["experiments"] = {k: exps[k] for k in ("noisy_fi_curve", "stimulus_response", "poisson_input")}
    nf = cfg["experiments"]["noisy_fi_curve"]
    nf.update(duration="200 ms", trials=5, sweep={"I_e": ["2.4 nA", "3 nA"], "noise.sigma": ["0 mV", "4 mV"]},
              max_points_per_job=2)
    po = cfg["experiments"]["poisson_input"]
    po.update(duration="100 ms", trials=4, sweep={"poisson_input.rate": ["800 Hz", "6400 Hz"]})
    cfg["experiments"]["stimulus_response"]["duration"] = "180 ms"
    folder = copy_workflow(tmp_path / "wf", cfg)
    snakemake(folder, "-c2")
    results = folder / "results"
    for name in cfg["experiments"]:
        assert (results / "figures" / f"{name}.png").stat().st_size > 1000
        summary = json.loads((results / "summaries" / f"{name}.json").read_text())
        assert summary["kind"] == name
        for kind in ("datasets", "analysis"):
            ds = xr.load_dataset(results / kind / f"{name}.nc")
            for var_name, var in ds.variables.items():
                assert "long_name" in var.attrs, (kind, name, var_name)
                if var.dtype.kind == "f":
                    assert "units" in var.attrs, (kind, name, var_name)
    an = xr.load_dataset(results / "analysis" / "noisy_fi_curve.nc")
    assert an["rate"].dims == ("estimator", "sigma", "I_e") and "rate_compare" in an
    assert float(an["rate"].sel(estimator="isi", sigma=0, I_e=3)) == pytest.approx(
        float(an["rate_siegert"].sel(sigma=0, I_e=3)), rel=1e-9)
    assert float(xr.load_dataset(results / "analysis" / "stimulus_response.nc")["step_error"].sel(
        condition="step_sub")) < 1e-9
    assert "Nothing to be done" in snakemake(folder, "-n", "-c1").stdout
