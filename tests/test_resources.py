"""The memory a simulation job asks a cluster for (lifsim.config.resources), against the real kernel's sizes."""
import copy
import math

import pytest
from conftest import default_config
from params_helper import job

from lifsim.config import resources as R
from lifsim.planning import plan
from lifsim.sim import simulate
from lifsim.sim.batch import from_params

MIB = 1024**2


@pytest.mark.parametrize("duration", [1e-4, 0.05, 0.05 + 0.3e-4, 0.1, 0.5])
def test_samples_are_the_kernels_grid_points(duration):
    params = job(duration=duration)
    assert R.n_samples(duration, params["dt"]) == from_params(params).n_steps + 1


def test_bytes_closed_form():
    # 1000 neurons: per-neuron bytes, 10,001 samples x 5 variables x 8 bytes x 3 copies, 1 s x 200 Hz spikes
    neurons = 1000 * R.PER_NEURON_BYTES
    traces = 1000 * 10_001 * 5 * 8 * R.TRACE_COPIES
    spikes = 1000 * 200 * R.BYTES_PER_SPIKE
    assert R.SPIKE_RATE_HZ == 200.0
    assert R.simulation_bytes(1000, 10_001, 5, 1.0) == neurons + traces + spikes
    assert R.simulation_bytes(1000, 10_001, 5, 1.0, spike_times=False) == neurons + traces
    assert R.simulation_bytes(1000, 10_001, 0, 1.0, spike_times=False) == neurons
    assert R.simulation_bytes(0, 10_001, 5, 1.0) == 0
    # linear in the number of neurons
    assert R.simulation_bytes(2000, 10_001, 5, 1.0) == 2 * (neurons + traces + spikes)
    with pytest.raises(ValueError):
        R.simulation_bytes(-1, 10, 1, 1.0)
    with pytest.raises(ValueError):
        R.simulation_bytes(1, 0, 1, 1.0)


def test_trace_term_is_the_traces_the_kernel_allocates_times_the_copies():
    params = job(n=7, dim="trial", duration=0.0234, record=("V", "I_m", "g_syn"))
    result = simulate(params)
    allocated = sum(trace.nbytes for trace in result.traces.values())
    n, samples, duration = 7, R.n_samples(params["duration"], params["dt"]), params["duration"]
    term = R.simulation_bytes(n, samples, 3, duration, False) - R.simulation_bytes(n, samples, 0, duration, False)
    assert term == R.TRACE_COPIES * allocated


def test_spike_allowance_covers_the_default_fi_sweep():
    config = default_config()
    config["experiments"] = {"fi_curve": copy.deepcopy(config["experiments"]["fi_curve"])}
    for params in plan(config)["fi_curve"].jobs.values():
        fired = simulate(params).spike_time.size
        allowed = params["batch"]["size"] * params["duration"] * R.SPIKE_RATE_HZ
        assert 0 < fired <= allowed, (params["duration"], fired, allowed)


def test_rounding():
    assert R.round_up_mb(0) == R.ROUND_MB
    assert R.round_up_mb(1) == R.ROUND_MB
    assert R.round_up_mb(R.ROUND_MB * MIB) == R.ROUND_MB
    assert R.round_up_mb(R.ROUND_MB * MIB + 1) == 2 * R.ROUND_MB


def test_job_request():
    small = job(n=1, duration=0.1, record=("V",))
    large = job(n=2000, dim="trial", duration=1.0, record=("V", "I_m", "I_syn", "g_syn", "x"))
    mb = R.job_mem_mb(small)
    assert mb >= R.BASE_MB and mb % R.ROUND_MB == 0
    assert R.job_mem_mb(small, attempt=2) == 2 * mb
    # 2000 x 10,001 x 5 float64 = 763 MiB of traces: the request holds base + neurons + 3 copies + spikes
    traces_mib = 2000 * 10_001 * 5 * 8 / MIB
    spikes_mib = 2000 * 200 * R.BYTES_PER_SPIKE / MIB
    expected = R.BASE_MB + 2000 * R.PER_NEURON_BYTES / MIB + R.TRACE_COPIES * traces_mib + spikes_mib
    assert R.job_mem_mb(large) == R.ROUND_MB * math.ceil(math.ceil(expected) / R.ROUND_MB)
    # a job that keeps no spike times asks for less, by the spike allowance
    statistics_only = {**large, "record_spikes": False}
    assert R.job_mem_mb(large) - R.job_mem_mb(statistics_only) == pytest.approx(spikes_mib, abs=R.ROUND_MB)
    with pytest.raises(ValueError):
        R.job_mem_mb(small, attempt=0)

