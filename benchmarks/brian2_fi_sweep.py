"""The f-I sweep of ``kernel_throughput.py`` in Brian2 (run by ``brian2_comparison.py`` in its own venv).

    python brian2_fi_sweep.py --target cpp_standalone --n 10000 --workdir DIR [--duration 1.0] [--repeats 3]

Runs in a Python that has Brian2 (which needs numpy < 2.4), never in the project's Python. Writes
``DIR/counts.npy`` (spikes per neuron) and prints one JSON line of timings:

- ``build_s`` (wall) and ``build_cpu`` (CPU, the compiler's included): cpp_standalone: code generation
  plus a cold compile in a fresh directory;
  numpy: what ``run()`` does before its first time step (code generation, namespace resolution);
- ``runs``: per repeat, ``loop_wall`` / ``loop_cpu`` (the time loop alone) and ``whole_wall``
  (cpp_standalone: the whole binary, which also loads arrays, creates the synapses and writes results;
  numpy: the whole ``run()`` call).

The model is lifsim's (SI values as in ``kernel_throughput.batch_params``), integrated with Brian2's
``euler``. Brian2 applies a synaptic effect after the state update of the step in which the presynaptic
spike occurs, while lifsim's jump at t_s enters the step that starts at t_s; the Brian2 spike is placed one
step earlier so that both compute the same sequence of states. Brian2 labels a spike with the start of the
step that crossed threshold (lifsim: its end); counts do not depend on that.
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

PARAMS = {"tau_m": 0.01, "R_m": 1e7, "E_m": -0.08, "V_thr": -0.054, "V_reset": -0.08, "tau_syn": 0.01,
          "g_star": 30e-9, "E_syn": 0.0, "I_max": 5e-9, "dt": 1e-4, "t_pre": 0.01}

EQUATIONS = """
dV/dt = (-V + E_m - R_m * I_syn + R_m * I_e) / tau_m : volt
I_syn = g * (V - E_syn) : amp
dx/dt = -x / tau_syn : siemens
dg/dt = (x - g) / tau_syn : siemens
I_e : amp (constant)
"""

# wall-clock and CPU time of the network's time loop, measured inside the standalone binary
TIMER_START = ("auto _bench_wall0 = std::chrono::steady_clock::now();\n"
               "std::clock_t _bench_cpu0 = std::clock();")
TIMER_STOP = ("std::cout << \"BENCH_LOOP \" << std::chrono::duration<double>("
              "std::chrono::steady_clock::now() - _bench_wall0).count() << \" \" << "
              "(double)(std::clock() - _bench_cpu0) / CLOCKS_PER_SEC << std::endl;")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the compiler), user + system."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def build_network(b2, n: int, duration: float):
    """The neurons, one presynaptic spike to all of them, and a spike counter."""
    p = PARAMS
    namespace = {"tau_m": p["tau_m"] * b2.second, "R_m": p["R_m"] * b2.ohm, "E_m": p["E_m"] * b2.volt,
                 "E_syn": p["E_syn"] * b2.volt, "tau_syn": p["tau_syn"] * b2.second,
                 "V_thr": p["V_thr"] * b2.volt, "V_reset": p["V_reset"] * b2.volt,
                 "g_star": p["g_star"] * b2.siemens}
    b2.defaultclock.dt = p["dt"] * b2.second
    neurons = b2.NeuronGroup(n, EQUATIONS, threshold="V >= V_thr", reset="V = V_reset", method="euler",
                             namespace=namespace, name="neurons")
    neurons.V = p["E_m"] * b2.volt
    neurons.I_e = np.linspace(0.0, p["I_max"], n) * b2.amp
    source = b2.SpikeGeneratorGroup(1, [0], [p["t_pre"] - p["dt"]] * b2.second, name="presynaptic")
    synapses = b2.Synapses(source, neurons, on_pre="x_post += g_star", namespace=namespace, name="synapses")
    synapses.connect()
    counter = b2.SpikeMonitor(neurons, record=False, name="counter")
    net = b2.Network(neurons, source, synapses, counter)
    return net, counter


def run_standalone(b2, n: int, duration: float, repeats: int, workdir: Path) -> dict:
    project = workdir / "project"
    b2.set_device("cpp_standalone", build_on_run=False, directory=str(project))
    b2.prefs.codegen.cpp.headers = ["<chrono>", "<ctime>", "<iostream>"]
    net, counter = build_network(b2, n, duration)
    b2.device.insert_code("before_network_run", TIMER_START)
    b2.device.insert_code("after_network_run", TIMER_STOP)
    net.run(duration * b2.second)
    start, cpu0 = time.perf_counter(), cpu_seconds()
    b2.device.build(directory=str(project), compile=True, run=False, with_output=False)
    build_s, build_cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    runs = []
    for _ in range(repeats):
        b2.device.run(directory=str(project), with_output=False)
        out = (project / "results" / "stdout.txt").read_text()
        wall, cpu = (float(v) for v in out.split("BENCH_LOOP", 1)[1].split()[:2])
        runs.append({"loop_wall": wall, "loop_cpu": cpu, "whole_wall": b2.device.timers["run_binary"]})
    return {"build_s": build_s, "build_cpu": build_cpu, "runs": runs, "counts": np.asarray(counter.count[:]),
            "compile_args": b2.prefs.codegen.cpp.extra_compile_args_gcc}


def run_numpy(b2, n: int, duration: float, repeats: int) -> dict:
    b2.prefs.codegen.target = "numpy"
    runs, build, build_cpu = [], [], []
    for _ in range(repeats):
        b2.start_scope()
        net, counter = build_network(b2, n, duration)
        loop_start = {}

        @b2.network_operation(dt=duration * b2.second, when="start")
        def mark_loop_start():  # runs once, at the first time step
            loop_start.update(wall=time.perf_counter(), cpu=time.process_time())  # noqa: B023 - this iteration's

        net.add(mark_loop_start)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        net.run(duration * b2.second)
        wall1, cpu1 = time.perf_counter(), time.process_time()
        build.append(loop_start["wall"] - wall0)
        build_cpu.append(loop_start["cpu"] - cpu0)
        runs.append({"loop_wall": wall1 - loop_start["wall"], "loop_cpu": cpu1 - loop_start["cpu"],
                     "whole_wall": wall1 - wall0})
    return {"build_s": min(build), "build_cpu": min(build_cpu), "runs": runs,
            "counts": np.asarray(counter.count[:])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", choices=["cpp_standalone", "numpy"], required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workdir", type=Path, required=True)
    args = ap.parse_args()
    import brian2 as b2

    b2.prefs.logging.console_log_level = "WARNING"
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.target == "cpp_standalone":
        out = run_standalone(b2, args.n, args.duration, args.repeats, args.workdir)
    else:
        out = run_numpy(b2, args.n, args.duration, args.repeats)
    np.save(args.workdir / "counts.npy", out.pop("counts").astype(np.int64))
    out.update(target=args.target, n=args.n, brian2=b2.__version__, numpy=np.__version__)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
