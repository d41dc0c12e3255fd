"""lifsim as a Snakemake module: another workflow uses its rules and adds its own that read lifsim's datasets."""
from __future__ import annotations

import pytest
from conftest import copy_workflow, snakemake, tiny_config, write_config

pytestmark = pytest.mark.pipeline

OUTER = '''configfile: "config.yaml"


module lifsim:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from lifsim as lifsim_*


rule total_spikes:
    input:
        "results/datasets/initial_conditions.nc",
    output:
        "results/mine/total_spikes.txt",
    run:
        import xarray as xr

        ds = xr.load_dataset(input[0], engine="netcdf4")
        open(output[0], "w").write(str(int(ds["spike_count"].sum())) + "\\n")
'''


def test_another_workflow_uses_lifsims_rules_and_adds_its_own(tmp_path):
    cfg = tiny_config()
    cfg["experiments"] = {"initial_conditions": cfg["experiments"]["initial_conditions"]}
    checkout = copy_workflow(tmp_path / "lifsim", cfg)
    outer = tmp_path / "study"
    outer.mkdir()
    write_config(outer, cfg)
    (outer / "Snakefile").write_text(OUTER.format(snakefile=checkout / "Snakefile"), encoding="utf-8")
    snakemake(outer, "-c2", "results/mine/total_spikes.txt")
    import xarray as xr

    ds = xr.load_dataset(outer / "results" / "datasets" / "initial_conditions.nc", engine="netcdf4")
    assert int((outer / "results" / "mine" / "total_spikes.txt").read_text()) == int(ds["spike_count"].sum()) > 0
    assert not (checkout / "results").exists()        # the results are the using workflow's
    # lifsim's own targets under their prefixed names
    assert "lifsim_plot_initial_conditions" in snakemake(outer, "--list-rules").stdout
