"""lifsim's compiled Euler kernel against Brian2 on the same f-I sweep, in one run on one machine.

    bash benchmarks/brian2_comparison.sh [--sizes 1000 10000 100000 1000000] [--repeats 3] ...
    python benchmarks/brian2_comparison.py --brian2-python VENV/bin/python [options]

The sweep is that of ``kernel_throughput.py``: N neurons, I_e evenly from 0 to 5 nA, 1 s at dt = 0.1 ms,
forward Euler, one presynaptic spike at 10 ms. lifsim runs here, in the project's Python (numba kernel,
one thread); Brian2 runs in a separate Python that has it (it needs numpy < 2.4) through
``brian2_fi_sweep.py``, one process per target and N, each built in a fresh directory. For every N the
two run back to back, so both sets of numbers come from the same machine at the same load.

Times are the best of ``--repeats`` runs. "loop" is the time loop alone (for lifsim the kernel call);
"whole" adds what a run needs around it (lifsim: building the batch; Brian2 standalone: the binary's
start, array loading, synapse creation and result writing; Brian2 numpy: the whole ``run()``).
Neuron-steps/s are computed from the loop's CPU time, which a machine shared with other work disturbs
less than wall-clock time; both are printed. "build" is the one-off cost before a first run: for lifsim
importing numba and the first kernel call (compile, or load from numba's cache), for Brian2 standalone
code generation and a cold compile, for Brian2 numpy the code generation inside ``run()``.

The spike counts of every neuron are compared between implementations: the computation is the same, so
counts may differ only where rounding moves a threshold crossing across the end of the run (by at most 1).
The script exits with an error otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "workflow"))
from kernel_throughput import batch_params  # noqa: E402

CHECK_CURRENTS_NA = (2.0, 2.7, 3.0, 4.0, 5.0)  # rheobase (V_thr - E_m) / R_m = 2.6 nA


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (user + system)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def lifsim_build() -> tuple[float, float]:
    """Import numba and call the kernel once (compile or cache load): wall and CPU seconds."""
    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba

    run_euler_numba(from_params(batch_params(10, 0.001)), spikes=False, threads=1)
    return time.perf_counter() - wall0, cpu_seconds() - cpu0


def run_lifsim(n: int, duration: float, repeats: int) -> dict:
    from lifsim.sim.batch import from_params
    from lifsim.sim.euler_numba import run_euler_numba

    runs = []
    for _ in range(repeats):
        wall0 = time.perf_counter()
        batch = from_params(batch_params(n, duration))
        wall1, cpu1 = time.perf_counter(), time.process_time()
        result = run_euler_numba(batch, spikes=False, threads=1)
        wall2, cpu2 = time.perf_counter(), time.process_time()
        runs.append({"loop_wall": wall2 - wall1, "loop_cpu": cpu2 - cpu1, "whole_wall": wall2 - wall0})
    return {"runs": runs, "counts": np.asarray(result.spike_counts(), dtype=np.int64), "steps": batch.n_steps}


def run_brian2(python: str, target: str, n: int, duration: float, repeats: int, workdir: Path) -> dict:
    folder = workdir / f"{target}_{n}"
    cmd = [python, str(HERE / "brian2_fi_sweep.py"), "--target", target, "--n", str(n),
           "--duration", str(duration), "--repeats", str(repeats), "--workdir", str(folder)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"Brian2 failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["counts"] = np.load(folder / "counts.npy")
    return out


def best(runs: list, key: str) -> float:
    return min(r[key] for r in runs)


def compare_counts(name: str, ref: np.ndarray, other: np.ndarray, n: int, max_current: float) -> str:
    diff = np.abs(ref - other)
    if ref.shape != other.shape or diff.max() > 1:
        sys.exit(f"spike counts of lifsim and {name} differ by more than 1 at N = {n}: "
                 f"max {diff.max()} at neuron {int(diff.argmax())}")
    idx = [int(round(i_na * 1e-9 / max_current * (n - 1))) for i_na in CHECK_CURRENTS_NA]
    pairs = ", ".join(f"{ref[i]}/{other[i]}" for i in idx)
    return (f"  counts lifsim/{name} at I_e = {', '.join(map(str, CHECK_CURRENTS_NA))} nA: {pairs}; "
            f"all {n} neurons: {int((diff > 0).sum())} differ, max |diff| {int(diff.max())}, "
            f"total {int(ref.sum())} vs {int(other.sum())}")


def machine_line() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores; load average {load}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--brian2-python", required=True, help="a Python with brian2 (and numpy < 2.4)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--targets", nargs="+", default=["cpp_standalone", "numpy"], choices=["cpp_standalone", "numpy"])
    ap.add_argument("--numpy-max-n", type=int, default=100000, help="skip Brian2's numpy target above this N")
    ap.add_argument("--numpy-repeats", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="where Brian2 builds (default: a temporary folder)")
    args = ap.parse_args()
    import numba

    print(f"machine: {machine_line()}")
    build_wall, build_cpu = lifsim_build()
    print(f"lifsim: numpy {np.__version__}, numba {numba.__version__}, kernel euler_numba, 1 thread")
    rows, checks = [], []
    with tempfile.TemporaryDirectory(prefix="lifsim-brian2-") as tmp:
        workdir = args.workdir or Path(tmp)
        for n in args.sizes:
            life = run_lifsim(n, args.duration, args.repeats)
            steps = life["steps"]
            rows.append(("lifsim (numba, 1 thread)", n, life["runs"], (build_wall, build_cpu), steps, None))
            for target in args.targets:
                if target == "numpy" and n > args.numpy_max_n:
                    continue
                repeats = args.numpy_repeats if target == "numpy" else args.repeats
                b2 = run_brian2(args.brian2_python, target, n, args.duration, repeats, workdir)
                rows.append((f"Brian2 {b2['brian2']} {target}", n, b2["runs"], (b2["build_s"], b2["build_cpu"]),
                             steps, best(life["runs"], "loop_cpu")))
                checks.append(compare_counts(f"Brian2 {target}", life["counts"], b2["counts"], n, 5e-9))
                if "compile_args" in b2 and n == args.sizes[0]:
                    print(f"Brian2 {b2['brian2']} (numpy {b2['numpy']}), standalone compile flags: "
                          f"{' '.join(b2['compile_args'])}")
    print_table(rows)
    print("spike counts (same computation check):")
    print("\n".join(checks))
    print(f"machine at the end: {machine_line()}")


def print_table(rows: list) -> None:
    head = (f"| {'implementation':<32} | {'N':>9} | {'loop s wall':>11} | {'loop s CPU':>10} | {'whole s wall':>12} "
            f"| {'neuron-steps/s (CPU)':>20} | {'build s wall (CPU)':>18} | {'lifsim/Brian2':>13} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name, n, runs, (bw, bc), steps, life_cpu in rows:
        cpu = best(runs, "loop_cpu")
        ratio = f"{cpu / life_cpu:.2f}" if life_cpu else ""
        build = f"{bw:.2f} ({bc:.2f})"
        print(f"| {name:<32} | {n:>9} | {best(runs, 'loop_wall'):>11.3f} | {cpu:>10.3f} | "
              f"{best(runs, 'whole_wall'):>12.3f} | {n * steps / cpu:>20.3g} | {build:>18} | {ratio:>13} |")


if __name__ == "__main__":
    main()
