"""The convergence study: each integrator at each dt against the analytical rate or the reference.

Jobs are built by ``lifsim.kinds.convergence``. A reference job solves its case
once with ``lifsim.reference`` at the finest dt and stores the result in
float64 (the float32 traces of ordinary job datasets would hide errors below
about 30 nV). A measurement job runs one integrator at every dt and stores one
error per dt:

``rate``        largest relative error of the ISI rate, 1 / mean ISI, against the
                analytical rate over the swept currents that fire at least twice
``trace``       largest |V - V_ref| over the job's grid points
``spike_time``  largest |t - t_ref| over the spikes both runs have (same neuron,
                same spike index), with the difference in spike counts beside it
``noise_rate``  the ISI rate under white noise against the Siegert rate, per sigma, with its
                standard error (``lifsim.convergence_noise``)

``lifsim.convergence_gather`` stacks the measurement jobs into the experiment's dataset, with
dimensions ``integrator`` and ``dt`` (and ``condition`` for the coupled pair). Jobs return their
dataset as ``lifsim.dataset.job_variables`` content and read their reference the same way
(``lifsim.io.read_variables``), so that a simulation job never imports xarray.
"""
from __future__ import annotations

import numpy as np

from . import provenance
from .convergence_gather import ERROR_VARIABLES
from .dataset import make_content, values


def _trains(neuron: np.ndarray, time: np.ndarray, n: int) -> list[np.ndarray]:
    return [time[neuron == i] for i in range(n)]


def reference_dataset(params: dict) -> dict:
    """Solve a case with the reference solver: V (mV, float64) on the finest grid and the spike trains."""
    from .reference import solve_reference
    from .sim import from_params

    batch = from_params(params["job"])
    res = solve_reference(batch, rtol=params["rtol"], atol=params["atol"])
    return make_content({
        "V": (("time", "neuron"), res.traces["V"] * 1e3, {"long_name": "membrane potential", "units": "mV"}),
        "spike_time": (("spike",), res.spike_time * 1e3, {"long_name": "spike time", "units": "ms"}),
        "spike_count": (("neuron",), res.spike_counts().astype(np.int32),
                        {"long_name": "number of spikes of each train", "units": "1", "sample_dimension": "spike"}),
    }, {"time": ("time", res.times * 1e3, {"long_name": "time", "units": "ms"}),
        "neuron": ("neuron", np.arange(batch.n), {"long_name": "neuron index", "units": "1"})},
        {"title": f"lifsim convergence reference: {params['case']}", "Conventions": "CF-1.10",
         "solver": "scipy.integrate.solve_ivp, DOP853, threshold events, reset at each event",
         **provenance.attributes(params)})


def _rate_error(params: dict, result) -> float:
    from .analysis.rates import analytical_rate, isi_rate

    p = params["job"]["neuron"]
    from .sim.batch import grid_points

    currents = grid_points(params["job"]["grid"])["I_e"]
    summary = result.spike_summary()           # per-train count, first and last spike (no loop over trains)
    count = summary["spike_count"]
    rate = isi_rate(count, summary["first_spike"], summary["last_spike"])
    exact = analytical_rate(currents, p["tau_m"], p["R_m"], p["E_m"], p["V_thr"], p["V_reset"], p["t_ref"])
    use = (exact > 0) & (count >= 2)
    return float(np.max(np.abs(rate[use] - exact[use]) / exact[use])) if use.any() else np.nan


def _trace_error(result, ref: dict, dt: float) -> float:
    time = values(ref, "time")
    ref_dt = float(time[1] - time[0]) * 1e-3
    stride = int(round(dt / ref_dt))
    v_ref = values(ref, "V")[::stride] * 1e-3
    return float(np.max(np.abs(result.traces["V"] - v_ref))) * 1e3


def _spike_time_error(result, ref: dict) -> tuple[float, int]:
    counts = values(ref, "spike_count")
    n = counts.size
    ref_neuron = np.repeat(np.arange(n), counts)
    ref_trains = _trains(ref_neuron, values(ref, "spike_time") * 1e-3, n)
    trains = _trains(result.spike_neuron, result.spike_time, n)
    worst, count_diff = 0.0, 0
    for a, b in zip(trains, ref_trains):
        m = min(a.size, b.size)
        if m:
            worst = max(worst, float(np.max(np.abs(a[:m] - b[:m]))))
        if abs(a.size - b.size) > abs(count_diff):
            count_diff = a.size - b.size
    return worst * 1e3, count_diff


def measure_dataset(params: dict, reference: dict | None) -> dict:
    """Run the job's integrator at every dt and measure its error (one value per dt)."""
    if params["measure"] == "noise_rate":
        from .convergence_noise import measure_noise

        return measure_noise(params)
    from .sim import simulate
    from .sim.batch import n_steps
    from .sim.run import choose_kernel

    job = params["job"]     # one kernel for every dt: the choice weighs the steps of all of them
    kernel = choose_kernel(job["integrator"], job["batch"]["size"],
                           sum(n_steps(job["duration"], dt) for dt in params["dts"]))
    errors, count_diff = [], []
    for dt in params["dts"]:
        result = simulate({**job, "dt": dt}, kernel=kernel)
        if params["measure"] == "rate":
            errors.append(_rate_error(params, result))
        elif params["measure"] == "trace":
            errors.append(_trace_error(result, reference, dt))
        else:
            err, diff = _spike_time_error(result, reference)
            errors.append(err)
            count_diff.append(diff)
    name, long_name, units = ERROR_VARIABLES[params["measure"]]
    data = {name: (("dt",), np.asarray(errors, dtype=np.float64), {"long_name": long_name, "units": units})}
    if count_diff:
        data["spike_count_difference"] = (("dt",), np.asarray(count_diff, dtype=np.int32), {
            "long_name": "spike count minus reference spike count (largest in magnitude over the neurons)",
            "units": "1"})
    return make_content(data, {"dt": ("dt", np.asarray(params["dts"]) * 1e3,
                                      {"long_name": "integration time step", "units": "ms"})},
                        {"integrator": params["integrator"], "case": params["case"], "condition": params["condition"],
                         "measure": params["measure"], **provenance.attributes(params)})


def run_job(params: dict, inputs: list, threads: int | None = None) -> dict:
    """One convergence job (the ``simulate`` stage of the kind): a reference solve or a measurement.
    ``inputs``: the reference's content, as ``lifsim.io.read_variables`` reads it."""
    if params["integrator"] == "reference":
        return reference_dataset(params)
    return measure_dataset(params, inputs[0] if inputs else None)
