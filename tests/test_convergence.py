"""The convergence experiment: its config, its measurements and analysis, and its pipeline outputs."""
import copy

import numpy as np
import pytest
import xarray as xr
from conftest import default_config

from lifsim.analysis.convergence import analyse_convergence, fitted_order
from lifsim.analysis.convergence_noise import RESOLVED_SE, grid_threshold_error, resolved_order
from lifsim.config import ConfigError, validate_structure
from lifsim.convergence import measure_dataset, reference_dataset
from lifsim.convergence_gather import gather
from lifsim.convergence_noise import measure_noise
from lifsim.dataset import to_dataset
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
    conv["noisy_fi_curve"]["dts"] = ["0.4 ms", "0.1 ms"]   # the default sizes (statistics), two of the dts
    cfg["experiments"] = {"convergence": conv}
    return cfg


def test_default_config_builds_references_and_one_job_per_integrator_and_case():
    jobs = resolved(default_config())["convergence"].jobs
    cases = ["coupled_pair-excitatory", "coupled_pair-inhibitory", "synaptic_response"]
    assert sorted(jobs) == sorted([f"reference/{c}" for c in cases] + [f"{i}/{c}" for i in ("euler", "exact")
                                                                       for c in cases + ["fi_curve", "noisy_fi_curve"]])
    exc = jobs["exact/coupled_pair-excitatory"]
    assert exc["dts"] == [4e-4, 2e-4, 1e-4, 5e-5, 2.5e-5, 1.25e-5]
    assert exc["job"]["neuron"]["t_ref"] == 2e-3 and exc["job"]["neuron"]["E_m"] == -0.07
    assert jobs["euler/coupled_pair-inhibitory"]["job"]["neuron"]["E_syn"] == -0.08
    assert jobs["reference/synaptic_response"]["job"]["dt"] == 1.25e-5
    assert reference_of("exact/synaptic_response") == "reference/synaptic_response"
    assert reference_of("euler/fi_curve") is None and reference_of("exact/noisy_fi_curve") is None
    noise = jobs["exact/noisy_fi_curve"]
    assert noise["dts"] == [4e-4, 2e-4, 1e-4] and noise["measure"] == "noise_rate"
    grid = noise["job"]["grid"]
    assert grid["I_e"]["values"] == [2.4e-9] and grid["sigma"] == {"values": [0.004, 0.006]}
    assert noise["job"]["window"] == [0.0, 0.25] and noise["job"]["duration"] == pytest.approx(0.4)
    assert noise["job"]["batch"]["size"] == 1600 and noise["job"]["neuron"]["t_ref"] == 2e-3


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
    (lambda c: c["noisy_fi_curve"].__setitem__("dts", ["0.4 ms", "0.3 ms"]), "experiments.convergence.noisy_fi_curve.dts[1]"),
    (lambda c: c["noisy_fi_curve"].__setitem__("dts", ["0.4 ms"]), "experiments.convergence.noisy_fi_curve.dts"),
    (lambda c: c["noisy_fi_curve"].__setitem__("sigma", ["4 mV", "0 mV"]), "experiments.convergence.noisy_fi_curve.sigma[1]"),
    (lambda c: c["noisy_fi_curve"].__setitem__("I_e", "2 mV"), "experiments.convergence.noisy_fi_curve.I_e"),
    (lambda c: c["noisy_fi_curve"].__setitem__("neuron", {"t_ref": "0.1 ms"}),
     "experiments.convergence.noisy_fi_curve.neuron.t_ref"),
    (lambda c: c["noisy_fi_curve"].__setitem__("burn_in", "1 s"), "experiments.convergence.noisy_fi_curve.burn_in"),
])
def test_bad_convergence_settings_name_their_key_path(mutate, path):
    cfg = default_config()
    mutate(cfg["experiments"]["convergence"])
    with pytest.raises(ConfigError) as info:
        resolved(cfg)
    assert info.value.path == path


def test_noise_case_orders_use_only_errors_beyond_three_standard_errors():
    dt = np.array([0.4, 0.2, 0.1, 0.05])
    se = np.full(4, 0.01)
    assert resolved_order(dt, -0.2 * np.sqrt(dt), se) == pytest.approx(0.5)
    # the last error is within 3 SE: the fit uses the first three, which follow dt^1
    err = np.array([0.2, 0.1, 0.05, 0.9 * RESOLVED_SE * 0.002])    # 0.025 on the line; 2.7 SE off zero
    assert resolved_order(dt, err, np.array([0.01, 0.01, 0.01, 0.002])) == pytest.approx(1.0)
    assert np.isnan(resolved_order(dt, np.array([0.02, -0.01, 0.0, 0.02]), se))   # nothing resolved
    assert np.isnan(resolved_order(dt, np.array([0.2, 0.01, np.nan, 0.0]), se))   # resolved at one dt only


def test_the_grid_threshold_asymptote_is_of_order_one_half():
    job = resolved(default_config())["convergence"].jobs["euler/noisy_fi_curve"]["job"]
    dt = np.array([1e-3, 1e-4, 1e-5])   # ms
    err = grid_threshold_error(job, np.array([4.0, 6.0]), dt)
    assert np.all(err < 0)                                  # a higher threshold: a lower rate
    for row in err:
        assert fitted_order(dt, -row, 0.0) == pytest.approx(0.5, abs=0.01)


def test_fitted_order_ignores_errors_at_the_floor():
    dt = np.array([0.4, 0.2, 0.1, 0.05])
    assert fitted_order(dt, 3 * dt**2, 1e-12) == pytest.approx(2.0)
    assert np.isnan(fitted_order(dt, np.array([1e-15, 3e-15, 0.0, 2e-15]), 1e-11))


@pytest.fixture(scope="module")
def small_study():
    jobs = resolved(small_convergence())["convergence"].jobs
    refs = {name: reference_dataset(p) for name, p in jobs.items() if name.startswith("reference/")}
    parts = {name: to_dataset(measure_dataset(p, refs.get(reference_of(name)))) for name, p in jobs.items()
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
    assert ds["noise_rate_error"].dims == ("integrator", "sigma", "dt") and ds["noise_rate_siegert"].dims == ("sigma",)
    np.testing.assert_allclose(ds["sigma"].values, [4.0, 6.0])
    assert ds["sigma"].attrs["units"] == "mV" and ds["noise_rate"].attrs["units"] == "Hz"
    ran = np.isfinite(ds["noise_rate_error"]).all(["integrator", "sigma"])
    assert list(ran.values) == [True, False, True, False]      # the case ran at 0.4 and 0.1 ms only
    assert (ds["noise_n_isi"].sel(dt=0.2) == 0).all() and (ds["noise_n_isi"].sel(dt=0.4) > 1000).all()
    se = ds["noise_rate_error_se"].sel(dt=[0.4, 0.1])
    assert float(se.max()) < 0.01 and float(se.min()) > 0      # error bars of ~0.6 %
    assert (ds["noise_censored"] <= 1e-3 * ds["noise_n_isi"]).all()   # the tail lets the intervals end
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


def test_noise_case_resolves_euler_and_not_exact(small_study):
    """Euler-Maruyama's grid threshold lowers the rate by several standard errors, with an order near 1/2 (its
    statistical uncertainty from the two errors' SEs); the exact scheme stays within 3 SE of Siegert even at
    dt = 0.4 ms (measured with 32,000 neurons: |error| < 0.2 % from 1 ms to 0.2 ms)."""
    ds, an = small_study
    run = ds.sel(dt=[0.4, 0.1])
    err, se = run["noise_rate_error"], run["noise_rate_error_se"]
    euler, euler_se = err.sel(integrator="euler"), se.sel(integrator="euler")
    assert (euler < -RESOLVED_SE * euler_se).all()
    assert (an["noise_rate_error_resolved"].sel(integrator="euler", dt=[0.4, 0.1]) == 1).all()
    assert (np.abs(err.sel(integrator="exact")) <= RESOLVED_SE * se.sel(integrator="exact")).all()
    assert np.isnan(an["noise_rate_error_order"].sel(integrator="exact")).all()
    rel = euler_se / np.abs(euler)
    order_se = np.sqrt((rel**2).sum("dt")) / np.log(4.0)
    order = an["noise_rate_error_order"].sel(integrator="euler")
    assert (np.abs(order - 0.5) < RESOLVED_SE * order_se).all() and (order_se < 0.17).all()   # excludes order 1


def test_noise_case_draws_each_dt_from_its_own_streams():
    jobs = resolved(small_convergence())["convergence"].jobs
    params = jobs["exact/noisy_fi_curve"]
    params = {**params, "job": {**params["job"], "batch": {**params["job"]["batch"], "size": 40, "per_point": 20},
                                "duration": 0.1, "window": [0.0, 0.05]}}
    both = to_dataset(measure_noise({**params, "dts": [4e-4, 1e-4]}))
    alone = to_dataset(measure_noise({**params, "dts": [4e-4]}))
    xr.testing.assert_identical(both["noise_rate"].sel(dt=[0.4]), alone["noise_rate"])
    assert not np.allclose(both["noise_rate"].sel(dt=0.4), both["noise_rate"].sel(dt=0.1))


def test_pipeline_writes_the_study_dataset_and_figure(tiny_run):
    ds = xr.load_dataset(tiny_run / "results" / "datasets" / "convergence.nc", engine="netcdf4")
    an = xr.load_dataset(tiny_run / "results" / "analysis" / "convergence.nc", engine="netcdf4")
    assert set(ds.dims) == {"integrator", "dt", "condition", "sigma"}
    assert {"rate_error_order", "trace_error_order", "spike_time_error_order", "noise_rate_error_order"} <= set(an.data_vars)
    assert ds["noise_rate_error"].dims == ("integrator", "sigma", "dt")
    summary = (tiny_run / "results" / "summaries" / "convergence.rst").read_text()
    assert "Noise case" in summary and "euler asymptote (%)" in summary
    assert ds.attrs["kind"] == "convergence" and "lifsim_params" in ds.attrs
    assert (tiny_run / "results" / "figures" / "convergence.png").stat().st_size > 1000
    refs = sorted(p.name for p in (tiny_run / "results" / "simulations" / "convergence" / "reference").iterdir())
    assert refs == ["coupled_pair-excitatory.nc", "coupled_pair-inhibitory.nc", "synaptic_response.nc"]
