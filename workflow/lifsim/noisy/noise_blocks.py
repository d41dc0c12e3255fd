"""The compiled white-noise kernels' common parts: the draws of a pair of steps and the block driver.

Neurons are independent, so a batch is cut into fixed blocks of ``BLOCK`` neurons (by index,
whatever the thread count); each block runs all its steps with its state in cache, and blocks run
in parallel (numba ``prange``; ``threads`` caps numba's threads). A block records its spikes
(neuron, time, step) in its own buffer and stops before a step whose spikes might not fit (at most
one per neuron and step; the white-noise kernels stop before even steps only, where they draw a pair of
steps' numbers: room for two steps); the driver then doubles the buffers and resumes. Spikes are returned in
the reference's order (by step, then neuron), so nothing depends on blocks or threads. A job that keeps
no spike times has the kernel tally them instead (:mod:`lifsim.noisy.tallies`: no buffers, no sort).
Noiseless neurons (sigma = 0) need no random numbers: :func:`compiled` runs them after the others, so
that blocks of them only skip the draws (the results are put back in the caller's order).

The kernels themselves: :mod:`lifsim.noisy.exact_noise_numba` and :mod:`lifsim.noisy.euler_noise_numba`.
"""
from __future__ import annotations

import numpy as np

from ..boxmuller import normal_pair
from ..numba_start import numba
from ..philox_block import philox_words, spare_of_words, uniforms_of_words
from . import SLOT_V

BLOCK = 1024


@numba.njit(cache=True, nogil=True, inline="always")
def pair_draw(key, counter):
    """One key's increments and spare bits of steps 2m and 2m + 1 (SLOT_V at ``counter`` m, a uint64):
    (z_even, z_odd, s_even, s_odd). Inlined: a kernel's step loop draws as it goes (no arrays written and read)."""
    c0, c1, c2, c3 = philox_words(key, counter, SLOT_V)
    u, v = uniforms_of_words(c0, c1, c2, c3)
    z_even, z_odd = normal_pair(u, v)
    s_even, s_odd = spare_of_words(c1, c3)
    return z_even, z_odd, s_even, s_odd


@numba.njit(cache=True, nogil=True, error_model="numpy")
def pair_normals(keys, m, z_even, z_odd, s_even, s_odd):
    """The increments and spare bits of steps 2m and 2m + 1 for each key: SLOT_V at counter m (vectorises)."""
    counter = np.uint64(m)
    for i in range(keys.size):
        z_even[i], z_odd[i], s_even[i], s_odd[i] = pair_draw(keys[i], counter)


def contiguous(a, n: int, dtype=np.float64) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=dtype), (n,))).copy()


def drive_blocks(n: int, n_steps: int, run_blocks, record: bool = True, order=None):
    """Run ``n`` neurons in blocks of :data:`BLOCK` until every block reached ``n_steps``, doubling the spike
    buffers whenever one ran out of room: (spike neuron, spike time, number of blocks), spikes by (step, neuron).

    ``run_blocks(starts, ends, k_from, n_steps, sp_neuron, sp_time, sp_step, pos)`` runs a kernel's blocks
    (the caller binds the kernel's own arguments: dt, its arrays, ...). ``record`` False: the kernel keeps
    no spikes (it tallies them, :mod:`lifsim.noisy.tallies`): empty buffers, one pass, no spikes returned.
    ``order``: the kernel's neuron j is the caller's ``order[j]`` (else the same)."""
    starts = np.arange(0, n, BLOCK, dtype=np.int64)
    ends = np.minimum(starts + BLOCK, n)
    k_from = np.zeros(starts.size, dtype=np.int64)
    cap = 2 * BLOCK + 64 if record else 0
    buffers = [np.empty((starts.size, cap), dtype=np.int64), np.empty((starts.size, cap)),
               np.empty((starts.size, cap), dtype=np.int64)]
    pos = np.zeros((starts.size, 1), dtype=np.int64)
    while True:
        run_blocks(starts, ends, k_from, n_steps, *buffers, pos)
        if (k_from >= n_steps).all():
            break
        buffers = [np.concatenate([b, np.empty_like(b)], axis=1) for b in buffers]   # some block ran out of room
    if not record:
        return np.zeros(0, dtype=np.int64), np.zeros(0), starts.size
    used = [slice(0, pos[b, 0]) for b in range(starts.size)]
    neuron, time, step = (np.concatenate([buf[b, used[b]] for b in range(starts.size)]) if starts.size else
                          np.zeros(0, dtype=buf.dtype) for buf in buffers)
    if order is not None:
        neuron = order[neuron]
        by = np.lexsort((neuron, step))
    else:
        by = np.argsort(step, kind="stable")          # blocks hold ascending neurons: (step, neuron) order
    return neuron[by], time[by], starts.size


def run_compiled(method, keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components,
                 threads=None):
    """``exact_noise.simulate`` with the compiled kernel: (neuron index, time, {"kernel", "threads"})."""
    neuron, time, _, info = compiled(method, keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in,
                                     components, threads, None)
    return neuron, time, info


def tally_compiled(method, keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components, window,
                   threads=None):
    """:func:`run_compiled` with the spikes tallied (:mod:`lifsim.noisy.tallies`) in ``window`` (t0, t1) instead
    of returned: (``points.interval_sums``' dict without ``order``, {"kernel", "threads"})."""
    _, _, sums, info = compiled(method, keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in,
                                components, threads, window)
    return sums, info


def compiled(method, keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components, threads, window):
    """The compiled kernel's run: (spike neuron, spike time, tallies' sums or None, info); ``window`` None: spikes.

    Noiseless neurons (sigma = 0) use no random numbers: they run after the others (a stable reordering, undone
    on the results), so that blocks of them only can skip the draws."""
    from . import euler_noise_numba, exact_noise_numba, tallies
    from .stimulus_numba import pack

    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    n = keys.size
    per_neuron = [contiguous(keys, n, np.uint64), *(contiguous(a, n) for a in (V, mu, tau, sigma, theta, V_reset, t_ref,
                                                                                R_in))]
    kinds, times, amps = pack(components, n)
    quiet = per_neuron[4] == 0
    order = np.argsort(quiet, kind="stable") if quiet.any() and not quiet.all() else None
    if order is not None:
        per_neuron, amps = [a[order] for a in per_neuron], np.ascontiguousarray(amps[:, :, order])
    kernel = exact_noise_numba if method == "exact" else euler_noise_numba
    arrays = kernel.arrays(*per_neuron, dt)
    record = window is None
    counts = tallies.NONE if record else tallies.new(n)
    bounds = (0.0, 0.0) if record else (float(window[0]), float(window[1]))
    def run_blocks(starts, ends, k_from, k1, *spikes):
        kernel.run_blocks(starts, ends, k_from, k1, dt, arrays, kinds, times, amps, record, counts, bounds, *spikes)

    neuron, time, blocks = drive_blocks(n, n_steps, run_blocks, record, order)
    info = {"kernel": "numba", "threads": min(numba.get_num_threads(), blocks)}
    if not record and order is not None:            # back to the caller's neuron order
        counts = tuple(unpermute(a, order) for a in counts)
    return neuron, time, None if record else tallies.sums(counts, *bounds), info


def unpermute(a, order):
    out = np.empty_like(a)
    out[order] = a
    return out
