"""The real pipeline on a tiny config: every output exists, opens with xarray and honours the contract."""
import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import REPO, snakemake
from shared_runs import copy_run

from lifsim import spikes

pytestmark = pytest.mark.pipeline

EXPERIMENTS = ["coupled_pair", "fi_curve", "initial_conditions", "synaptic_response"]
UNITS = {"V": "mV", "I_m": "nA", "I_syn": "nA", "g_syn": "nS", "x": "nS", "time": "ms", "spike_time": "ms"}


def open_nc(path: Path) -> xr.Dataset:
    return xr.load_dataset(path, engine="netcdf4", decode_timedelta=False)


def test_every_output_exists(tiny_run):
    for e in EXPERIMENTS:
        for stage in ("datasets", "analysis"):
            assert (tiny_run / "results" / stage / f"{e}.nc").is_file()
        assert (tiny_run / "results" / "figures" / f"{e}.png").stat().st_size > 1000
        assert (tiny_run / "results" / "logs" / "plot" / f"{e}.log").is_file()
    assert (tiny_run / "results" / "figures" / "coupled_pair_variants.png").is_file()
    assert sorted(p.name for p in (tiny_run / "results" / "simulations" / "synaptic_response").iterdir()) == \
        ["analysis", "excitatory.nc", "inhibitory.nc", "shunting.nc"]
    # the test-step runs that only the analysis reads: a holding and a stepped run per condition
    assert sorted(p.name for p in (tiny_run / "results" / "simulations" / "synaptic_response" / "analysis").iterdir()) \
        == sorted(f"{c}-{role}.nc" for c in ("excitatory", "inhibitory", "shunting") for role in ("hold", "step"))
    # no temporary files left behind
    assert not list((tiny_run / "results").rglob("*.part"))


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_dataset_contract(tiny_run, experiment):
    ds = open_nc(tiny_run / "results" / "datasets" / f"{experiment}.nc")
    for name, var in {**ds.data_vars, **ds.coords}.items():
        assert "long_name" in var.attrs, name
        if name in UNITS:
            assert var.attrs["units"] == UNITS[name], name
    assert ds["spike_count"].attrs["sample_dimension"] == "spike"
    assert int(ds["spike_count"].sum()) == ds.sizes["spike"]
    assert ds["time"].dtype == np.float64 if "time" in ds else True
    for key in ("lifsim_params", "lifsim_params_sha256", "lifsim_version", "version_numpy", "version_xarray",
                "version_netCDF4", "version_snakemake", "version_python", "Conventions", "integrator"):
        assert key in ds.attrs, key
    assert "date" not in " ".join(ds.attrs).lower()


def test_dims_of_each_experiment(tiny_run):
    d = {e: open_nc(tiny_run / "results" / "datasets" / f"{e}.nc") for e in EXPERIMENTS}
    assert d["synaptic_response"]["V"].dims == ("condition", "time")
    assert list(d["synaptic_response"]["condition"].values) == ["excitatory", "inhibitory", "shunting"]
    assert d["initial_conditions"]["V"].dims == ("condition", "trial", "time")
    assert d["fi_curve"]["spike_count"].dims == ("duration", "I_e")
    assert list(d["fi_curve"]["duration"].values) == [50.0, 100.0]
    assert d["fi_curve"]["I_e"].attrs["units"] == "nA"
    assert d["coupled_pair"]["V"].dims == ("condition", "neuron", "time")
    assert set(d["synaptic_response"].data_vars) >= {"V", "I_m", "I_syn", "g_syn", "x"}


def test_fi_rates_against_the_analytical_rate(tiny_run):
    an = open_nc(tiny_run / "results" / "analysis" / "fi_curve.nc")
    assert an["rate"].dims == ("estimator", "duration", "I_e")
    assert list(an["estimator"].values) == ["isi", "count"]
    isi = an["rate"].sel(estimator="isi")
    analytic = an["rate_analytical"]
    firing = analytic > 0
    # Euler at dt = 0.1 ms: spike times on the grid, so each ISI is off by at most ~ one step.
    tol = 2 * analytic**2 * 1e-4
    assert bool((np.abs(isi - analytic) <= tol).where(firing & isi.notnull(), True).all())
    # the ISI estimator is undefined (NaN) exactly where a train has a single spike
    ds = open_nc(tiny_run / "results" / "datasets" / "fi_curve.nc")
    assert bool((isi.isnull() == (ds["spike_count"] == 1)).all())
    assert int(isi.notnull().where(firing).sum()) > 10
    # count estimator: within one spike per duration of the analytical rate
    count = an["rate"].sel(estimator="count")
    quantum = 1e3 / an["duration"]
    assert bool((np.abs(count - analytic) <= quantum + tol).all())
    assert float(an["rheobase_theory"]) == pytest.approx(2.6)


def test_spike_trains_decode(tiny_run):
    ds = open_nc(tiny_run / "results" / "datasets" / "coupled_pair.nc")
    train = spikes.train(ds, condition="base", neuron=0)
    assert train.size == int(ds["spike_count"].sel(condition="base", neuron=0))
    assert np.all(np.diff(train) > 0)


def test_second_run_has_nothing_to_do(tiny_run, tmp_path):
    out = snakemake(copy_run(tiny_run, tmp_path / "run"), "-c2", "-n")   # the shared run stays as it is
    assert "Nothing to be done" in out.stdout + out.stderr


def test_default_config_dry_run_and_lint_are_clean():
    out = snakemake(REPO, "-n", "--cores", "1")
    assert "simulate_job" in out.stdout or "Nothing to be done" in out.stdout + out.stderr
    lint = snakemake(REPO, "--lint", check=False)
    text = lint.stdout + lint.stderr
    findings = re.findall(r"^\s+\* (.+?):$", text, flags=re.MULTILINE)
    assert "Lints for rule simulate_job" in text          # the linter did look at the rules
    # Only the advice to pin conda/container environments is accepted (see README).
    assert findings and all(f.startswith("Specify a conda environment or container") for f in findings), findings


def test_job_file_written_without_xarray_reads_back_as_the_job_dataset(tmp_path):
    from params_helper import job

    from lifsim import io
    from lifsim.dataset import job_dataset, job_variables
    from lifsim.sim import simulate

    for params in (job(n=2, dim="neuron", reset=True, I_e=3.5e-9, coupling=[[0, 1], [1, 0]]),
                   job(reset=True, record=(), sweep={"I_e": [1e-9, 3e-9, 4e-9]})):
        result = simulate(params)
        io.write_variables(job_variables(params, result), tmp_path / "a.nc")
        io.write_dataset(job_dataset(params, result), tmp_path / "b.nc")
        xr.testing.assert_identical(io.read_dataset(tmp_path / "a.nc"), io.read_dataset(tmp_path / "b.nc"))
