"""Peak memory of simulation jobs against the estimate a cluster job asks for (lifsim.config.resources).

    python benchmarks/simulation_memory.py

Each case is one simulation job of the default config's experiments, resized, run in a fresh Python
process exactly as the `simulate_job` script runs it (simulate, then write the NetCDF file); the process
reports its peak resident memory (ru_maxrss). On a cluster each job also carries two nested snakemake
processes; their resident size is measured once (a `snakemake -n` of this checkout) and added.
Prints MiB: measured script peak, the snakemake processes, their sum, and the estimate `job_mem_mb`.
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))

from lifsim.config import load_yaml, plan  # noqa: E402
from lifsim.config.resources import job_mem_mb  # noqa: E402
from lifsim.sim.batch import n_steps  # noqa: E402
from lifsim.sim.run import choose_kernel  # noqa: E402

CHILD = """
import json, resource, sys
sys.path.insert(0, {src!r})
from lifsim import io
from lifsim.dataset import job_variables
from lifsim.sim import simulate
params = json.loads(sys.stdin.read())
if params:
    io.write_variables(job_variables(params, simulate(params)), {out!r})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

# (label, experiment, changes to the experiment's config)
FI = {"durations": ["1000 ms"]}
CASES = [
    ("f-I 2e4 currents 1 s, spike times", "fi_curve",
     {**FI, "sweep": {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 20_000}}}),
    ("f-I 1e5 currents 1 s, spike times", "fi_curve",
     {**FI, "sweep": {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 100_000}}, "max_points_per_job": 100_000}),
    ("f-I 2e5 currents 1 s, statistics only", "fi_curve",
     {**FI, "sweep": {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 200_000}}, "max_points_per_job": 200_000,
      "record_spikes": False}),
    ("f-I 2000 currents 1 s, record V", "fi_curve",
     {**FI, "sweep": {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 2000}}, "record": ["V"]}),
    ("f-I 8192 currents 1 s, record V", "fi_curve",
     {**FI, "sweep": {"I_e": {"start": "0 nA", "stop": "5 nA", "num": 8192}}, "record": ["V"]}),
    ("1000 trials 1 s, 5 variables", "initial_conditions",
     {"duration": "1000 ms", "trials": 1000, "record": ["V", "I_m", "I_syn", "g_syn", "x"]}),
]


def job_params(experiment: str, changes: dict) -> dict:
    config = load_yaml(REPO / "config.yaml")
    exp = copy.deepcopy(config["experiments"][experiment])
    exp.update(changes)
    config["experiments"] = {experiment: exp}
    jobs = plan(config)[experiment].jobs
    return jobs[sorted(jobs)[0]]


def peak_mb(params: dict | None) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        code = CHILD.format(src=str(REPO / "workflow"), out=str(Path(tmp) / "job.nc"))
        proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(params), capture_output=True,
                              text=True, check=True)
    return float(proc.stdout.split()[-1])


def snakemake_mb() -> float:
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "snakemake", "-n", "-c1", "-q"],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    wrap = 2 * snakemake_mb()
    print(f"interpreter + imports only: {peak_mb(None):7.0f} MiB; two snakemake processes: {wrap:5.0f} MiB")
    print(f"{'case':40s} {'kernel':>6s} {'script':>7s} {'+ snakemake':>11s} {'estimate':>8s}  (MiB)")
    for label, experiment, changes in CASES:
        params = job_params(experiment, changes)
        script = peak_mb(params)
        estimate = job_mem_mb(params)
        flag = "" if estimate >= script + wrap else "  UNDER-ESTIMATED"
        kernel = choose_kernel(params["integrator"], params["batch"]["size"], n_steps(params["duration"], params["dt"]))
        print(f"{label:40s} {kernel:>6s} {script:7.0f} {script + wrap:11.0f} {estimate:8d}{flag}")


if __name__ == "__main__":
    main()
