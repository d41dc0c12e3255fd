"""Faults: killed writes and runs, a simulation that blows up, many processes reading one NetCDF file.

The processes these tests start run in their own session, so that a failing test
can end exactly them (and the jobs they started) by their process group id.
"""
import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import REPO, copy_workflow, snakemake, tiny_config
from params_helper import job

from lifsim import io
from lifsim.sim import simulate
from lifsim.sim.result import SimulationError

WORKFLOW = str(REPO / "workflow")


# --------------------------------------------------------------------------- helpers: processes we start

class Started:
    """Processes started by a test; whatever still runs at the end is killed by process group."""

    def __init__(self):
        self.procs = []

    def __call__(self, args, cwd, log: Path) -> subprocess.Popen:
        with open(log, "w") as out:   # Ctrl-C as at a terminal, even where this test runs with SIGINT ignored
            proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.procs.append(proc)
        return proc

    def snakemake(self, folder: Path, *args: str) -> subprocess.Popen:
        n = len(self.procs)
        return self([sys.executable, "-m", "snakemake", *args], folder, folder / f"run{n}.log")

    def end_all(self):
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


@pytest.fixture
def started():
    s = Started()
    yield s
    s.end_all()


def wait_until(predicate, timeout=60.0, poll=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise TimeoutError(f"condition not met within {timeout} s")


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def job_processes(pid: int) -> list[int]:
    """The Python processes of the script jobs a snakemake process runs."""
    jobs = []
    for child in descendants(pid):
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        # the interpreter itself, not the bash -c wrapper that starts it
        if len(argv) > 1 and Path(argv[0]).name.startswith("python") and ".snakemake/scripts/" in argv[1]:
            jobs.append(child)
    return jobs


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --------------------------------------------------------------------------- a write killed half-way

KILLED_WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from lifsim import io
    with io.atomic_path(sys.argv[2]) as tmp:
        with open(tmp, "wb") as f:
            f.write(b"CDF half a file")
            f.flush()
            print("writing", flush=True)
            time.sleep(60)
""")


def small_dataset(value: float, n: int = 1000) -> xr.Dataset:
    return xr.Dataset({"V": ("time", np.full(n, value), {"units": "mV", "long_name": "membrane potential"})},
                      coords={"time": ("time", np.arange(n) * 0.1, {"units": "ms", "long_name": "time"})},
                      attrs={"version": value})


def test_a_write_killed_half_way_leaves_no_final_file_and_the_next_write_cleans_up(tmp_path, started):
    target = tmp_path / "out" / "job.nc"
    writer = started([sys.executable, "-c", KILLED_WRITER, WORKFLOW, str(target)], tmp_path, tmp_path / "w.log")
    wait_until(lambda: "writing" in (tmp_path / "w.log").read_text())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert not target.exists()                          # nothing under the final name
    assert len(list(target.parent.glob(".job.nc.*.part"))) == 1
    io.write_dataset(small_dataset(1.0), target)
    assert list(target.parent.iterdir()) == [target]    # the stale temporary file is gone
    xr.testing.assert_identical(io.read_dataset(target), small_dataset(1.0))


def test_a_failing_write_leaves_neither_file(tmp_path):
    target = tmp_path / "job.nc"
    with pytest.raises(RuntimeError):
        with io.atomic_path(target) as tmp:
            tmp.write_bytes(b"partial")
            raise RuntimeError("disk full, say")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- a simulation that blows up

@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_nonfinite_voltage_names_experiment_condition_and_first_bad_step():
    """Euler with dt = 100 tau_m: V - V_inf grows by |1 - dt/tau_m| = 99 per step until it overflows."""
    dt, tau_m, E_m, R_m, I_e = 1.0, 0.01, -0.08, 1e7, 1e-9
    params = job(dt=dt, duration=400.0, record=("V",), tau_m=tau_m, I_e=I_e)
    with pytest.raises(SimulationError) as info:
        simulate(params)
    message = str(info.value)
    assert "experiment 'test', condition 'c'" in message
    step = int(message.split("at step ")[1].split()[0])
    # |V_k - V_inf| = |1 - dt/tau_m|^k |V_0 - V_inf|; the update (1 - a) V + a V_inf overflows once
    # a |V_{k-1}| or |V_k| passes the largest float: at the first k with |V_k| > max, or the step before.
    growth, start = abs(1 - dt / tau_m), abs(E_m - (E_m + R_m * I_e))
    k_max = math.ceil((math.log(sys.float_info.max) - math.log(start)) / math.log(growth))
    assert step in (k_max - 1, k_max), (step, k_max)
    assert f"t = {step * dt * 1e3:.6g} ms" in message


def unstable_config() -> dict:
    cfg = tiny_config()
    cfg["experiments"] = {"unstable": {
        "kind": "initial_conditions", "duration": "400 s", "dt": "1 s", "allow_large_dt": True, "reset": False,
        "trials": 1, "V_init": "-80 mV", "record": ["V"], "neuron": {"I_e": "1 nA"}, "conditions": {"drive": {}}}}
    return cfg


@pytest.mark.pipeline
def test_an_unstable_job_fails_with_its_names_and_writes_no_dataset(tmp_path):
    folder = copy_workflow(tmp_path / "wf", unstable_config())
    proc = snakemake(folder, "-c1", check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "lifsim: WARNING at experiments.unstable.dt" in text and "allow_large_dt is true" in text
    assert "experiment 'unstable', condition 'drive': non-finite membrane potential at step 156" in text
    log = (folder / "results" / "logs" / "simulate_job" / "unstable" / "drive.log").read_text()
    assert "at step 156" in log
    assert not (folder / "results" / "simulations" / "unstable").exists() or \
        list((folder / "results" / "simulations" / "unstable").iterdir()) == []
    assert not (folder / "results" / "datasets").exists()


# --------------------------------------------------------------------------- many readers, one file

READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from lifsim import io
    path, done = Path(sys.argv[2]), Path(sys.argv[3])
    io.read_dataset(path)                           # imports xarray before saying it is ready
    Path(sys.argv[4]).touch()
    seen, errors, reads = set(), [], 0
    while reads < 20 or not done.exists():
        try:
            ds = io.read_dataset(path)
            values = set(ds["V"].values.tolist())
            if values != {ds.attrs["version"]}:
                errors.append(f"mixed file: {sorted(values)[:3]} with version {ds.attrs['version']}")
            seen.add(ds.attrs["version"])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        reads += 1
    print(json.dumps({"reads": reads, "seen": sorted(seen), "errors": errors[:5]}))
""")


def test_parallel_readers_never_fail_while_the_file_is_replaced(tmp_path, started):
    path, done = tmp_path / "shared.nc", tmp_path / "done"
    io.write_dataset(small_dataset(1.0, 200_000), path)
    readers = [started([sys.executable, "-c", READER, WORKFLOW, str(path), str(done), str(tmp_path / f"ready{i}")],
                       tmp_path, tmp_path / f"reader{i}.log") for i in range(4)]
    wait_until(lambda: all((tmp_path / f"ready{i}").exists() for i in range(4)), timeout=120)
    k, end = 0, time.monotonic() + 1.5
    while k < 20 or time.monotonic() < end:              # replace the file under the readers' feet
        io.write_dataset(small_dataset(float(2 + k % 2), 200_000), path)
        k += 1
    done.touch()
    reports = []
    for i, reader in enumerate(readers):
        assert reader.wait(timeout=120) == 0, (tmp_path / f"reader{i}.log").read_text()
        reports.append(json.loads((tmp_path / f"reader{i}.log").read_text().strip().splitlines()[-1]))
    assert all(r["errors"] == [] for r in reports), reports
    assert all(r["reads"] >= 20 for r in reports)
    assert set().union(*(r["seen"] for r in reports)) >= {2.0, 3.0}, reports   # reads overlapped the writes
    assert not list(tmp_path.glob("*.part"))


# --------------------------------------------------------------------------- runs killed at several points

KILLED_EXPERIMENTS = ("fi_curve", "synaptic_response")   # half of the tiny config's jobs, to keep the test short


def outputs(folder: Path, experiments=KILLED_EXPERIMENTS) -> list[str]:
    """The result files of ``experiments``, except logs (which record each attempt)."""
    results = folder / "results"
    names = (str(p.relative_to(results)) for p in results.rglob("*") if p.is_file())
    return sorted(n for n in names if not n.startswith("logs/") and "/" in n
                  and n.split("/")[1].split(".")[0] in experiments)


def simulations_exist(folder: Path) -> bool:
    return any((folder / "results" / "simulations").rglob("*.nc"))


@pytest.mark.pipeline
def test_runs_killed_at_several_points_resume_to_the_clean_result(tiny_run, tmp_path, started):
    """Each job's params hold only what it uses, so these experiments' files equal those of the whole tiny run."""
    config = tiny_config()
    config["experiments"] = {name: config["experiments"][name] for name in KILLED_EXPERIMENTS}
    folder = copy_workflow(tmp_path / "wf", config)

    # 1. Ctrl-C (SIGINT) to snakemake once the first simulation dataset is written
    run = started.snakemake(folder, "-c2")
    wait_until(lambda: simulations_exist(folder))
    run.send_signal(signal.SIGINT)
    assert run.wait(timeout=120) != 0

    # 2. SIGKILL a job process as soon as one runs
    run = started.snakemake(folder, "-c2")
    victim = wait_until(lambda: job_processes(run.pid))[0]
    os.kill(victim, signal.SIGKILL)             # a job lives >= 0.3 s (imports): it is still running
    assert run.wait(timeout=120) != 0, (folder / "run1.log").read_text()

    # 3. SIGKILL snakemake itself while a job runs: its jobs run on as orphans, its lock stays behind
    run = started.snakemake(folder, "-c2")
    orphans = wait_until(lambda: job_processes(run.pid))
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    wait_until(lambda: not any(alive(pid) for pid in orphans), timeout=120)
    locked = snakemake(folder, "-c2", check=False)
    assert locked.returncode != 0 and "--unlock" in locked.stdout + locked.stderr
    snakemake(folder, "--unlock")

    # 4. the next run completes (5 jobs, 2 x dataset, analysis, figure), and its results equal a clean run's
    final = snakemake(folder, "-c2")
    # the orphans of step 3 finished their files after snakemake died: complete files, but recorded as
    # incomplete, so they are redone (rerun-incomplete in the profile) rather than taken as complete
    assert "reason: Forced execution" in final.stdout + final.stderr
    # per experiment: its simulations, dataset, analysis, summary (rst, json) and figures, as in the full tiny run
    assert outputs(folder) == outputs(tiny_run) and len(outputs(folder)) >= 11
    assert not list((folder / "results").rglob("*.part"))
    for name in outputs(tiny_run):
        if name.endswith(".nc"):
            xr.testing.assert_identical(io.read_dataset(folder / "results" / name),
                                        io.read_dataset(tiny_run / "results" / name))
    again = snakemake(folder, "-c2", "-n")
    assert "Nothing to be done" in again.stdout + again.stderr
