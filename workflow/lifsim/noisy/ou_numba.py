"""The compiled (numba) OU-current kernels' driver, and the ``euler`` scheme (the reference
:func:`lifsim.noisy.ou_current.run_euler`); the ``exact`` scheme is :mod:`lifsim.noisy.ou_numba_exact`.

As for white noise (:mod:`lifsim.noisy.noise_blocks`): a batch is cut into fixed blocks of ``BLOCK``
neurons by index, whatever the thread count; each block runs all its steps with its state in cache,
blocks run in parallel (numba ``prange``; ``threads`` caps numba's threads), each records its spikes
(neuron, time, step) in its own buffer and stops before a step whose spikes might not fit (one per
neuron and step at most); the driver then doubles the buffers and resumes. Spikes come back in the
reference's order (by step, then neuron), so nothing depends on blocks or threads.

Euler-Maruyama: per block and step one branch-free loop (it vectorises) draws the step's normal (the
first of slot SLOT_CURRENT at counter k), advances V with the current at the step's start and then the
current, with the coefficients the reference computes (NumPy, once), and applies the grid threshold
and the refractory hold; a second pass only at steps with spikes records them at t_{k+1}. The
arithmetic is the reference's, operation for operation: the same spike trains and final (V, I), bit
for bit.
"""
from __future__ import annotations

import numpy as np

from ..boxmuller import normal_pair
from ..numba_start import numba
from ..philox_block import philox_words, uniforms_of_words
from . import SLOT_CURRENT
from .noise_blocks import contiguous, drive_blocks

COEFFICIENTS = ("decay_u", "decay_I", "Rc", "L_II", "L_uI", "L_uu")


@numba.njit(cache=True, nogil=True, error_model="numpy")
def euler_block(lo, hi, k0, k1, dt, arr, sp_neuron, sp_time, sp_step, pos):
    """Steps k0 .. k1 - 1 of neurons lo .. hi - 1; returns the step reached (< k1: the spike buffer is full)."""
    keys, V, I, held, mu, a, R = (arr[0][lo:hi], arr[1][lo:hi], arr[2][lo:hi], arr[3][lo:hi], arr[4][lo:hi],
                                  arr[5][lo:hi], arr[6][lo:hi])
    decay, kick, theta, V_reset, ref_steps = arr[7][lo:hi], arr[8][lo:hi], arr[9][lo:hi], arr[10][lo:hi], \
        arr[11][lo:hi]
    flag = arr[12][lo:hi]
    n = hi - lo
    for k in range(k0, k1):
        if sp_neuron.size - pos[0] < n:
            return k
        counter = np.uint64(k)
        count = 0
        for i in range(n):
            c0, c1, c2, c3 = philox_words(keys[i], counter, SLOT_CURRENT)
            u, w = uniforms_of_words(c0, c1, c2, c3)
            z = normal_pair(u, w)[0]
            v, cur = V[i], I[i]
            v1 = v + a[i] * (mu[i] + R[i] * cur - v)
            I[i] = cur - decay[i] * cur + kick[i] * z
            h = held[i]
            free = h == 0
            v1 = v1 if free else V_reset[i]
            spike = free & (v1 >= theta[i])
            V[i] = V_reset[i] if spike else v1
            held[i] = ref_steps[i] if spike else (0 if free else h - 1)
            flag[i] = spike
            count += spike
        if count:
            t = (k + 1) * dt
            for i in range(n):
                if flag[i]:
                    sp_neuron[pos[0]], sp_time[pos[0]], sp_step[pos[0]] = lo + i, t, k
                    pos[0] += 1
    return k1


@numba.njit(cache=True, parallel=True, error_model="numpy")
def euler_blocks(starts, ends, k_from, k1, dt, arr, sp_neuron, sp_time, sp_step, pos):
    for b in numba.prange(starts.size):
        if k_from[b] < k1:
            k_from[b] = euler_block(starts[b], ends[b], k_from[b], k1, dt, arr, sp_neuron[b], sp_time[b], sp_step[b],
                                    pos[b])


def kernel_arrays(method, keys, V, I, neuron, dt):
    """The kernel's per-neuron arrays (state first; all contiguous copies) and its block runner."""
    n = keys.size
    mu, tau, R_in, std, tau_s, theta, V_reset, t_ref = (contiguous(a, n) for a in neuron)
    state = (contiguous(keys, n, np.uint64), contiguous(V, n), contiguous(I, n))
    if method == "exact":
        from .ou_numba_exact import run_blocks
        from .ou_transition import current_transition, joint_coefficients

        full = joint_coefficients(tau, R_in, std, tau_s, dt)
        hold = current_transition(1.0, std, tau_s, np.full(n, dt))      # the current over a whole held step
        return (*state, np.full(n, -np.inf), mu, tau, R_in, std, tau_s, theta, V_reset, t_ref,
                *(np.ascontiguousarray(full[c]) for c in COEFFICIENTS), *(contiguous(a, n) for a in hold),
                np.zeros(n + 8, dtype=np.bool_)), run_blocks
    return (*state, np.zeros(n, dtype=np.int64), mu, dt / tau, R_in, dt / tau_s, std * np.sqrt(2.0 * dt / tau_s),
            theta, V_reset, np.rint(t_ref / dt).astype(np.int64), np.zeros(n, dtype=np.bool_)), euler_blocks


def run_compiled(method, keys, V, I, neuron, n_steps, dt, threads=None):
    """``ou_current.simulate`` with the compiled kernel: (neuron index, time, final V, final I,
    {"kernel", "threads"}); ``neuron`` as the reference's (mu, tau, R_in, std, tau_s, theta, V_reset, t_ref)."""
    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    n = keys.size
    arrays, kernel_blocks = kernel_arrays(method, keys, V, I, neuron, dt)

    def run_blocks(starts, ends, k_from, k1, *spikes):
        kernel_blocks(starts, ends, k_from, k1, dt, arrays, *spikes)

    spike_neuron, spike_time, blocks = drive_blocks(n, n_steps, run_blocks)
    info = {"kernel": "numba", "threads": min(numba.get_num_threads(), max(blocks, 1))}
    return spike_neuron, spike_time, arrays[1], arrays[2], info
