"""The convergence experiment: its config, its measurements and analysis, and its pipeline outputs."""
import copy

import numpy as np
import pytest
import xarray as xr
from conftest import default_config

from lifsim.analysis.convergence import analyse_convergence, fitted_order
from lifsim.config import ConfigError, validate_structure
from lifsim.convergence import measure_dataset, reference_dataset
from lifsim.convergence_gather import gather
from lifsim.kinds.convergence import reference_of
from lifsim.planning import plan


def resolved(cfg):
    cfg = copy.deepcopy(cfg)
    validate_structure(cfg)
    return plan(cfg)


def small_convergence() -> dict:
    """The default convergence experiment, shortened to run in a couple of seconds."""
    cfg = default_config()
    conv = cfg["experiments"]["convergence"]
    conv["dts"] = ["0.4 ms", "0.2 ms", "0.1 ms", "0.05 ms"]
    conv["fi_curve"] = {"duration": "200 ms", "I_e": {"start": "2.626 nA", "stop": "5 nA", "num": 5}}
    conv["synaptic_response"]["duration"] = "50 ms"
    conv["coupled_pair"]["duration"] = "100 ms"
    cfg["experiments"] = {"convergence": conv}
    return cfg


def test_default_config_builds_references_and_one_job_per_integrator_and_case():
    jobs = resolved(default_config())["convergence"].jobs
    cases = ["coupled_pair-excitatory", "coupled_pair-inhibitory", "synaptic_response"]
    assert sorted(jobs) == sorted([f"reference/{c}" for c in cases] +
                                  [f"{i}/{c}" for i in ("euler", "exact") for c in cases + ["fi_curve"]])
    exc = jobs["exact/coupled_pair-excitatory"]
    assert exc["dts"] == [4e-4, 2e-4, 1e-4, 5e-5, 2.5e-5, 1.25e-5]
    assert exc["job"]["neuron"]["t_ref"] == 2e-3 and exc["job"]["neuron"]["E_m"] == -0.07
    assert jobs["euler/coupled_pair-inhibitory"]["job"]["neuron"]["E_syn"] == -0.08
    assert jobs["reference/synaptic_response"]["job"]["dt"] == 1.25e-5
    assert reference_of("exact/synaptic_response") == "reference/synaptic_response"
    assert reference_of("euler/fi_curve") is None


def test_reference_jobs_do_not_depend_on_the_integrator_setting():
    a, b = default_config(), default_config()
    b["integrator"] = "exact"
    ja, jb = resolved(a)["convergence"].jobs, resolved(b)["convergence"].jobs
    for name in ja:
        if name.startswith("reference/"):
            assert ja[name] == jb[name]


@pytest.mark.parametrize("mutate, path", [
    (lambda c: c.__setitem__("dts", ["0.4 ms", "0.3 ms"]), "experiments.convergence.dts[0]"),
    (lambda c: c.__setitem__("dts", ["0.1 ms", "0.1 ms"]), "experiments.convergence.dts"),
    (lambda c: c["coupled_pair"].__setitem__("duraton", "1 s"), "experiments.convergence.coupled_pair.duraton"),
    (lambda c: c.__setitem__("integrators", ["rk4"]), "experiments.convergence.integrators[0]"),
    (lambda c: c["synaptic_response"].__setitem__("presynaptic_spikes", ["200 ms"]),
     "experiments.convergence.synaptic_response.presynaptic_spikes[0]"),
])
def test_bad_convergence_settings_name_their_key_path(mutate, path):
    cfg = default_config()
    mutate(cfg["experiments"]["convergence"])
    with pytest.raises(ConfigError) as info:
        resolved(cfg)
    assert info.value.path == path


def test_fitted_order_ignores_errors_at_the_floor():
    dt = np.array([0.4, 0.2, 0.1, 0.05])
    assert fitted_order(dt, 3 * dt**2, 1e-12) == pytest.approx(2.0)
    assert np.isnan(fitted_order(dt, np.array([1e-15, 3e-15, 0.0, 2e-15]), 1e-11))


@pytest.fixture(scope="module")
def small_study():
    jobs = resolved(small_convergence())["convergence"].jobs
    refs = {name: reference_dataset(p) for name, p in jobs.items() if name.startswith("reference/")}
    parts = {name: measure_dataset(p, refs.get(reference_of(name))) for name, p in jobs.items()
             if not name.startswith("reference/")}
    ds = gather(parts, "convergence")
    return ds, analyse_convergence(ds, {})


def test_study_dataset_layout(small_study):
    ds, an = small_study
    assert "method" not in ds.dims and "method" not in an.dims
    assert list(ds["integrator"].values) == ["euler", "exact"]
    np.testing.assert_allclose(ds["dt"].values, [0.4, 0.2, 0.1, 0.05])
    assert ds["dt"].attrs["units"] == "ms"
    assert ds["rate_error"].dims == ("integrator", "dt") and ds["rate_error"].attrs["units"] == "1"
    assert ds["trace_error"].attrs["units"] == "mV"
    assert ds["spike_time_error"].dims == ("integrator", "condition", "dt")
    assert list(ds["condition"].values) == ["excitatory", "inhibitory"]
    for name, var in ds.data_vars.items():
        assert "long_name" in var.attrs, name


def test_study_measures_the_orders(small_study):
    ds, an = small_study
    order = an["trace_error_order"]
    assert float(order.sel(integrator="euler")) == pytest.approx(1.0, abs=0.15)
    assert float(order.sel(integrator="exact")) >= 2 - 0.04
    # constant current: exact has no dt dependence above rounding, euler is first order
    assert bool(an["rate_error_at_rounding"].sel(integrator="exact"))
    assert float(ds["rate_error"].sel(integrator="exact").max()) < 1e-11
    assert float(an["rate_error_order"].sel(integrator="euler")) == pytest.approx(1.0, abs=0.3)
    st = ds["spike_time_error"].sel(integrator="exact", dt=0.1)
    assert float(st.max()) < 10e-3                                            # ms: the 10 us target
    assert (ds["spike_count_difference"].sel(integrator="exact") == 0).all()
    exact_orders = an["spike_time_error_order"].sel(integrator="exact").values
    assert np.all(np.abs(exact_orders - 2) < 0.15)


def test_pipeline_writes_the_study_dataset_and_figure(tiny_run):
    ds = xr.load_dataset(tiny_run / "results" / "datasets" / "convergence.nc", engine="netcdf4")
    an = xr.load_dataset(tiny_run / "results" / "analysis" / "convergence.nc", engine="netcdf4")
    assert set(ds.dims) == {"integrator", "dt", "condition"}
    assert {"rate_error_order", "trace_error_order", "spike_time_error_order"} <= set(an.data_vars)
    assert ds.attrs["kind"] == "convergence" and "lifsim_params" in ds.attrs
    assert (tiny_run / "results" / "figures" / "convergence.png").stat().st_size > 1000
    refs = sorted(p.name for p in (tiny_run / "results" / "simulations" / "convergence" / "reference").iterdir())
    assert refs == ["coupled_pair-excitatory.nc", "coupled_pair-inhibitory.nc", "synaptic_response.nc"]
