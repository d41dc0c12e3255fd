"""The ``lifsim`` command line: check, show, diff (verify and extract are tested in test_archive.py).

``check`` runs in-process and as ``python -m lifsim``; ``show`` and ``diff`` read datasets that the real
snakemake wrote in a temporary copy of the workflow, once with the tiny config and once with tau_m changed,
and archives that ``lifsim.archive.bundle`` built from them.
"""
import os
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, copy_workflow, snakemake, tiny_config

from lifsim.archive import bundle, resolved_text
from lifsim.cli import estimate, main
from lifsim.config import load_merged
from lifsim.config.resources import job_mem_mb
from lifsim.planning import plan

WORKFLOW = str(REPO / "workflow")


def cli(*args, cwd=REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": WORKFLOW + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "lifsim", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_help_everywhere():
    top = cli("--help")
    assert top.returncode == 0
    for command in ("check", "show", "diff", "verify", "extract"):
        assert command in top.stdout
        sub = cli(command, "--help")
        assert sub.returncode == 0 and sub.stdout.startswith(f"usage: lifsim {command}"), sub.stdout
    assert cli("no-such-command").returncode == 2


# ---- check ---------------------------------------------------------------------------------------------------------

def table(stdout: str) -> dict[str, list[str]]:
    """Rows of the plan table: experiment -> its cells split on runs of two or more spaces."""
    import re

    lines = stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("experiment "))
    rows = {}
    for line in lines[start + 1:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells
    return rows


def test_check_prints_every_experiment_with_its_kind_jobs_and_memory(capsys):
    assert main(["check", str(REPO / "config.yaml")]) == 0
    out = capsys.readouterr().out
    plans = plan(load_merged([REPO / "config.yaml"]))
    rows = table(out)
    assert set(rows) == set(plans)
    for name, p in plans.items():
        cells = rows[name]
        assert cells[1] == p.kind and int(cells[2]) == len(p.jobs) and int(cells[3]) == len(p.analysis_jobs)
        mem = max(job_mem_mb(estimate.simulation(j)) for j in [*p.jobs.values(), *p.analysis_jobs.values()])
        assert cells[6] == f"{mem:,} MiB"
    assert rows["synchrony_map"][5] == "g_star 6 x t_ref 2 x tau_syn 4"
    assert rows["fi_curve"][4] == "500"   # 250 currents x 2 durations
    total = sum(len(p.jobs) + len(p.analysis_jobs) for p in plans.values())
    assert f"{len(plans)} experiments, {total} simulation jobs" in out and "warnings: 0" in out


def test_check_layers_files_in_order_like_the_pipeline():
    out = cli("check", "config.yaml", "configs/fi_sweep_1M.yaml")
    assert out.returncode == 0, out.stderr
    row = table(out.stdout)["fi_curve_1M"]
    assert row[1:6] == ["fi_curve", "8", "0", "1,000,000", "I_e 1000000"]
    assert "fi_curve" in table(out.stdout)   # config.yaml's experiments are still there
    alone = cli("check", "configs/fi_sweep_1M.yaml")   # an overlay alone is not a whole config
    assert alone.returncode == 1 and alone.stderr.startswith("lifsim: config error at ")


def test_check_does_not_load_numpy_or_xarray():
    code = ("import sys; from lifsim.cli import main; rc = main(['check', 'config.yaml']); "
            "print(rc, sorted(m for m in ('numpy', 'xarray', 'netCDF4', 'matplotlib') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": WORKFLOW}
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stdout + proc.stderr


@pytest.mark.parametrize("edit, path", [
    ({"dt": "0.1 mV"}, "dt"),
    ({"neuron": {"tau_mm": "10 ms"}}, "neuron.tau_mm"),
    ({"experiments": {"fi_curve": {"durations": []}}}, "experiments.fi_curve.durations"),
])
def test_check_refuses_a_bad_config_in_one_line_naming_the_key(tmp_path, edit, path):
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(edit), encoding="utf-8")
    out = cli("check", str(REPO / "config.yaml"), str(tmp_path / "bad.yaml"))
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and out.stderr.startswith(f"lifsim: config error at {path}"), out.stderr


def test_check_of_a_missing_or_unreadable_file_is_one_line(tmp_path):
    for target in (tmp_path / "missing.yaml", tmp_path):
        out = cli("check", str(target))
        assert out.returncode == 1 and out.stderr.count("\n") == 1, out.stderr
        assert out.stderr.startswith("lifsim: config error at <top level>: expected a"), out.stderr
        assert "Traceback" not in out.stderr


def test_check_prints_the_pipelines_warnings(tmp_path):
    (tmp_path / "large_dt.yaml").write_text("dt: 2 ms\nallow_large_dt: true\n", encoding="utf-8")
    out = cli("check", str(REPO / "config.yaml"), str(tmp_path / "large_dt.yaml"))
    assert out.returncode == 0, out.stderr
    warnings = [ln for ln in out.stdout.splitlines() if "lifsim: WARNING at" in ln]
    plans = plan(load_merged([REPO / "config.yaml", tmp_path / "large_dt.yaml"]))
    expected = [w for p in plans.values() for w in p.warnings]
    assert expected and len(warnings) == len(expected)
    assert f"warnings: {len(expected)}" in out.stdout


def test_the_time_estimate_grows_with_the_work():
    job = next(iter(plan(load_merged([REPO / "config.yaml"]))["fi_curve"].jobs.values()))
    base = estimate.seconds(job)
    longer = {**job, "duration": 10 * job["duration"]}
    exact = {**job, "integrator": "exact"}
    assert estimate.STARTUP_S < base < estimate.seconds(longer)
    assert estimate.seconds(exact) > base
    assert estimate.seconds({"kind": "something else"}) is None and estimate.human_seconds(None) == "?"


def test_the_time_estimate_costs_a_job_with_the_kernel_choosers_own_tables():
    from lifsim import kernel_cost
    from lifsim.noisy import kernel_choice

    n, duration, dt = 100_000, 1.0, 1e-4            # large: the compiled kernel is the cheaper one
    steps = duration / dt
    compiled = kernel_cost.NUMBA_START + kernel_cost.NUMBA_LOAD + n * steps * kernel_cost.NUMBA_COST["exact"]
    assert estimate.integration_seconds(n, duration, dt, "exact") == pytest.approx(compiled, rel=1e-12)
    per_step, per_neuron_step = kernel_cost.NUMPY_COST["euler"]      # one neuron, 100 steps: the NumPy loop
    assert estimate.integration_seconds(1, 0.01, dt, "euler") == pytest.approx(100 * (per_step + per_neuron_step))
    for method, coloured in (("exact", False), ("ou_exact", True)):
        load, per = kernel_choice.NUMBA_COST[method]
        assert estimate.noise_seconds(n, duration, dt, "exact", coloured) == pytest.approx(load + n * steps * per)


# ---- show and diff on real pipeline datasets -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def two_runs(tiny_run, tmp_path_factory):
    """results/datasets/fi_curve.nc of the tiny config (tau_m 10 ms: the shared tiny run, only read here), and
    of the same with tau_m 12 ms."""
    assert tiny_config()["neuron"]["tau_m"] == "10 ms"
    config = tiny_config()
    config["neuron"]["tau_m"] = "12 ms"
    folder = copy_workflow(tmp_path_factory.mktemp("b"), config)
    snakemake(folder, "-c2", "results/datasets/fi_curve.nc", "results/analysis/fi_curve.nc")
    return [tiny_run, folder]


def test_show_lists_dimensions_coordinates_and_variables_with_units(two_runs):
    import xarray as xr

    path = two_runs[0] / "results" / "datasets" / "fi_curve.nc"
    out = cli("show", str(path))
    assert out.returncode == 0, out.stderr
    ds = xr.load_dataset(path, engine="netcdf4", decode_timedelta=False)
    text = out.stdout
    assert "dimensions: " + ", ".join(f"{d} = {n}" for d, n in ds.sizes.items()) in text
    for name, var in [*ds.coords.items(), *ds.data_vars.items()]:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"  {name} ("))
        assert f", {var.attrs.get('units', 'no units')}" in line and var.attrs.get("long_name", "") in line, line
    assert "I_e (I_e) float64, nA: " in text and "2 .. 5 (12 values)" in text
    assert "experiment: fi_curve" in text and f"integrator: {ds.attrs['integrator']}" in text
    missing = cli("show", str(two_runs[0] / "nothing.nc"))
    assert missing.returncode == 2 and missing.stderr.startswith("lifsim show: cannot read")


def test_diff_of_two_datasets_names_the_parameter_and_the_changed_numbers(two_runs):
    import xarray as xr

    a, b = (f / "results" / "datasets" / "fi_curve.nc" for f in two_runs)
    out = cli("diff", str(a), str(b))
    assert out.returncode == 1, out.stderr
    text = out.stdout
    assert "neuron.tau_m: 0.01 -> 0.012 (+20 %)" in text, text
    assert "neuron.R_m" not in text and "neuron.E_m" not in text     # only what differs
    ds_a, ds_b = (xr.load_dataset(p, engine="netcdf4") for p in (a, b))
    largest = float(abs(ds_b["mean_isi"] - ds_a["mean_isi"]).max())
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("mean_isi:"))
    assert f"largest |B - A| = {largest:.4g} ms" in line, line
    tau = next(ln for ln in text.splitlines() if ln.strip().startswith("tau_m:"))
    assert "largest |B - A| = 2 ms" in tau, tau
    assert "I_e:" not in text   # the sweep coordinate is the same
    same = cli("diff", str(a), str(a))
    assert same.returncode == 0 and "same parameters, same numbers" in same.stdout


def test_diff_of_two_archives(two_runs, tmp_path):
    tars = []
    for folder in two_runs:
        config = load_merged([folder / "config.yaml"])
        plans = {"fi_curve": plan(config)["fi_curve"]}
        resolved = resolved_text(plans, ["png"])
        from lifsim.archive import archive_name

        results = [folder / "results" / stage / "fi_curve.nc" for stage in ("datasets", "analysis")]
        tars.append(bundle.build_archive(tmp_path / folder.name / f"{archive_name(resolved)}.tar", resolved,
                                         [folder / "config.yaml"], results, list(plans)))
    out = cli("diff", str(tars[0]), str(tars[1]))
    assert out.returncode == 1, out.stderr
    text = out.stdout
    assert "experiments.fi_curve.jobs.duration-50ms.neuron.tau_m: 0.01 -> 0.012 (+20 %)" in text, text
    assert "datasets/fi_curve.nc: mean_isi:" in text and "analysis/fi_curve.nc: rate:" in text, text
    extracted = bundle.extract(tars[0], tmp_path / "x")
    same = cli("diff", str(tars[0]), str(extracted))
    assert same.returncode == 0 and "same parameters, same results" in same.stdout, same.stdout
    bad = cli("diff", str(tars[0]), str(tmp_path / "none.tar"))
    assert bad.returncode == 2 and bad.stderr.startswith("lifsim diff: ")
    (tmp_path / "notes.txt").write_text("not an archive\n")
    for args in ((tars[0], tmp_path / "notes.txt"), (tars[0], two_runs[0] / "results" / "datasets" / "fi_curve.nc")):
        bad = cli("diff", *map(str, args))
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1, bad.stderr
        assert bad.stderr.startswith("lifsim diff: "), bad.stderr
