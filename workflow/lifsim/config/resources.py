"""What a simulation job asks a scheduler for: memory estimated from the job's size.

Pure Python, imported at DAG-build time (``workflow/rules/common.smk``). The
estimate is what a cluster needs to place a job (SLURM's ``--mem``); locally
it only matters when ``snakemake --resources mem_mb=...`` caps the total.

A job's peak memory, measured by ``benchmarks/simulation_memory.py``, is

- a base: the Python process that runs the script, with numpy and netCDF4
  (~35 MiB) or with the compiled kernel loaded (~170 MiB), plus, on a cluster,
  the two nested snakemake processes that wrap each job (~135 MiB each);
- per neuron: parameters, state and per-neuron statistics, in a few copies
  (~330 bytes measured);
- the recorded traces: ``n_neurons x n_samples x n_recorded`` float64 values
  held by the integrator, converted to display units, and a float32 copy
  while writing: 2.0-2.5 times the float64 size measured;
- the spike times, when the job keeps them (``record_spikes``): up to ~140
  bytes per spike measured (per-block buffers, concatenation, sorting,
  conversion), for an assumed mean rate of ``SPIKE_RATE_HZ`` per neuron (the
  default f-I sweep averages 40 Hz and tops at 136 Hz). A job that fires
  faster may need more: SLURM then ends it for memory, and the profile's retry
  asks for ``attempt`` times the estimate.
"""
from __future__ import annotations

import math

MIB = 1024**2
BASE_MB = 512                # the script's process + the snakemake processes around a cluster job
PER_NEURON_BYTES = 512       # parameters, state, statistics (measured ~330)
TRACE_COPIES = 3             # float64 traces, display-unit copy, float32 write buffer (measured 2.0-2.5)
BYTES_PER_SPIKE = 160        # measured up to ~140
SPIKE_RATE_HZ = 200.0        # assumed mean rate per neuron for the spike allowance
ROUND_MB = 64                # requests are rounded up to a multiple of this


def n_samples(duration: float, dt: float) -> int:
    """Samples per recorded trace: the grid points t_k = k dt, k = 0 .. n_steps (as ``lifsim.sim.batch``)."""
    return max(1, math.ceil(duration / dt - 1e-9)) + 1


def simulation_bytes(n_neurons: int, n_samples: int, n_recorded: int, duration: float,
                     spike_times: bool = True) -> int:
    """Estimated bytes a job needs on top of the base: neurons, traces and (if kept) spike times."""
    if n_neurons < 0 or n_samples < 1 or n_recorded < 0 or duration < 0:
        raise ValueError(f"expected non-negative sizes, got n_neurons={n_neurons}, n_samples={n_samples}, "
                         f"n_recorded={n_recorded}, duration={duration}")
    neurons = n_neurons * PER_NEURON_BYTES
    traces = n_neurons * n_samples * n_recorded * 8 * TRACE_COPIES
    spikes = math.ceil(n_neurons * duration * SPIKE_RATE_HZ) * BYTES_PER_SPIKE if spike_times else 0
    return neurons + traces + spikes


def round_up_mb(n_bytes: float) -> int:
    """Whole MiB, rounded up to a multiple of ``ROUND_MB`` (a request of 0 bytes is ``ROUND_MB``)."""
    mb = max(1, math.ceil(n_bytes / MIB))
    return ROUND_MB * math.ceil(mb / ROUND_MB)


def job_mem_mb(params: dict, attempt: int = 1) -> int:
    """Memory (MiB) to request for one simulation job (``params`` as in ``lifsim.config.experiments``).

    ``attempt`` is Snakemake's attempt counter: a retried job (e.g. killed for memory) asks for
    ``attempt`` times as much.
    """
    if attempt < 1:
        raise ValueError(f"expected attempt >= 1, got {attempt}")
    size = simulation_bytes(params["batch"]["size"], n_samples(params["duration"], params["dt"]),
                            len(params["record"]), params["duration"], params.get("record_spikes", True))
    return attempt * round_up_mb(BASE_MB * MIB + size)

