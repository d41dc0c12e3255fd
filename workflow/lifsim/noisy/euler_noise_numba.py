"""The ``euler`` white-noise scheme compiled (numba): the reference :func:`lifsim.noisy.exact_noise.run_euler`.

Euler-Maruyama with the threshold tested on the grid: per block and step, one branch-free loop over the
block's neurons (it vectorises; :func:`grid_step`) that, at even steps, draws the pair of steps' normals
as it goes (:func:`lifsim.noisy.noise_blocks.pair_draw`, the odd step's kept for the next step; none in
a block of noiseless neurons only), V1 = V + (dt / tau)(mu + R_in I(t_k) - V) + sigma sqrt(dt / tau) z
with the coefficients the reference computes (NumPy, once), and a pass over the block only at steps
with spikes to record them at t_{k+1} (or tally them: :mod:`lifsim.noisy.tallies`). The arithmetic is
the reference's, operation for operation: without a stimulus the spike trains are identical bit for
bit; with one they agree to rounding (the sine's libm ``sin``).
"""
from __future__ import annotations

import numpy as np

from ..numba_start import numba
from .noise_blocks import pair_draw
from .stimulus_numba import value
from .tallies import tally


def arrays(keys, V, mu, tau, sigma, theta, V_reset, t_ref, R_in, dt):
    """The kernel's per-neuron arrays (state first): all (N,) contiguous."""
    n = keys.size
    a, noise_scale = dt / tau, sigma * np.sqrt(dt / tau)
    return (keys, V, np.zeros(n, dtype=np.int64), mu, a, noise_scale, theta, V_reset,
            np.rint(t_ref / dt).astype(np.int64), R_in, np.empty(n), np.empty(n), np.zeros(n, dtype=np.bool_))


@numba.njit(cache=True, nogil=True, inline="always")
def grid_step(v, held, mu, a, noise_scale, theta, V_reset, ref_steps, R_in, z, current, has_stim):
    """One neuron's step (branch-free: it vectorises): (V, refractory steps left, spike)."""
    drive = mu + R_in * current if has_stim else mu
    v1 = v + a * (drive - v) + noise_scale * z
    free = held == 0
    v1 = v1 if free else V_reset
    spike = free & (v1 >= theta)
    return (V_reset if spike else v1), (ref_steps if spike else (0 if free else held - 1)), spike


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_block(lo, hi, k0, k1, dt, arr, kinds, times, amps, record, tallies, window, sp_neuron, sp_time, sp_step, pos):
    """Steps k0 (even) .. k1 - 1 of neurons lo .. hi - 1; returns the step reached (< k1, even: the spike buffer
    might not hold the spikes of that step and the next).
    ``record``: spikes into the buffers, else into the tallies (:mod:`lifsim.noisy.tallies`, ``window`` (t0, t1))."""
    keys, V, held, mu, a, noise_scale = arr[0][lo:hi], arr[1][lo:hi], arr[2][lo:hi], arr[3][lo:hi], arr[4][lo:hi], \
        arr[5][lo:hi]
    theta, V_reset, ref_steps, R_in = arr[6][lo:hi], arr[7][lo:hi], arr[8][lo:hi], arr[9][lo:hi]
    z_odd, current, flag = arr[10][lo:hi], arr[11][lo:hi], arr[12][lo:hi]
    has_stim = kinds.size > 0
    noisy = False                   # else no step of the block needs a random number: z = 0
    for i in range(hi - lo):
        noisy |= noise_scale[i] != 0
    if not noisy:
        z_odd[:] = 0.0
    for k in range(k0, k1):
        if record and k % 2 == 0 and sp_neuron.size - pos[0] < 2 * (hi - lo):
            return k        # stops before an even step only: the pair's draws are made there
        if has_stim:
            for i in range(hi - lo):
                current[i] = value(kinds, times, amps, lo + i, k * dt)
        count = 0
        if noisy and k % 2 == 0:       # draw the pair of steps as the loop goes, keep the odd step's normal
            counter = np.uint64(k // 2)
            for i in range(hi - lo):
                z, z_odd[i], _, _ = pair_draw(keys[i], counter)
                V[i], held[i], spike = grid_step(V[i], held[i], mu[i], a[i], noise_scale[i], theta[i], V_reset[i],
                                                 ref_steps[i], R_in[i], z, current[i], has_stim)
                flag[i] = spike
                count += spike
        else:
            for i in range(hi - lo):
                V[i], held[i], spike = grid_step(V[i], held[i], mu[i], a[i], noise_scale[i], theta[i], V_reset[i],
                                                 ref_steps[i], R_in[i], z_odd[i], current[i], has_stim)
                flag[i] = spike
                count += spike
        if count:
            t = (k + 1) * dt
            for i in range(hi - lo):
                if flag[i] and record:
                    sp_neuron[pos[0]], sp_time[pos[0]], sp_step[pos[0]] = lo + i, t, k
                    pos[0] += 1
                elif flag[i]:
                    tally(tallies, lo + i, t, window[0], window[1])
    return k1


@numba.njit(cache=True, parallel=True, error_model="numpy")
def run_blocks(starts, ends, k_from, k1, dt, arr, kinds, times, amps, record, tallies, window, sp_neuron, sp_time,
               sp_step, pos):
    for b in numba.prange(starts.size):
        if k_from[b] < k1:
            k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, dt, arr, kinds, times, amps, record, tallies,
                                  window, sp_neuron[b], sp_time[b], sp_step[b], pos[b])
