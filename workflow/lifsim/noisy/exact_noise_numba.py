"""The ``exact`` white-noise scheme compiled (numba): the reference :func:`lifsim.noisy.exact_noise.run_exact`.

Per block of neurons and step, one branch-free loop over the block (it vectorises) that, at even steps,
draws the pair of steps' numbers as it goes (:func:`lifsim.noisy.noise_blocks.pair_draw`: one Philox
call and one Box-Muller per neuron, the odd step's kept for the next step) and does every full step far
from threshold (:func:`far_step`), V1 = mu + (V - mu) e^{-dt/tau} (+ stimulus) + std z, with the
per-neuron constants of a full step that the reference uses too (:func:`lifsim.noise.step_constants`,
computed once in NumPy). A neuron takes the scalar path (:mod:`lifsim.noisy.exact_step_numba`, the
reference's arithmetic for one neuron) when its refractory period ends inside the step (with that part's constants,
computed at the spike: ``release_constants``), when V or V1 reaches theta, or when the bridge
probability p = exp(-2 ab / var) (a, b the distances of V and V1 below theta) may exceed s / 2048, s the
step's spare bits (:mod:`lifsim.noisy`; ``log_bound``): below that the bridge test's uniform cannot
be below p. Only then is the bridge test's uniform drawn, and the crossing time's numbers only at a
spike; draws are functions of (key, step, slot), so skipping them changes nothing. A block of noiseless
neurons only (sigma = 0: std = var = 0, p = 0) draws nothing. The functions whose last bit could differ
between NumPy and libm are :mod:`lifsim.portable`'s on both sides, so without a stimulus the spike
trains are the reference's bit for bit; with one they agree to rounding. A spike goes to the block's
buffer, or, for a job that keeps no spike times, into its neuron's tallies (:mod:`lifsim.noisy.tallies`).

Costs (benchmarks/noise_throughput.py, N = 1e5, one core): ~2.2-2.4e8 neuron-steps/s, of which the draws
take ~3/4 (alone 3.0-3.3e8/s: Philox, log and sincos about a third each), the steps that take the
scalar path (~0.7 % of neuron-steps: cut steps, crossings, near-threshold steps) most of the rest; the
block size (256 .. 2048 neurons) makes no measurable difference: the loop is bound by arithmetic, not by
memory.
"""
from __future__ import annotations

import numpy as np

from .. import noise
from ..numba_start import numba
from .exact_step_numba import log_bound, release_constants, special_step
from .noise_blocks import pair_draw
from .stimulus_numba import exp_weighted_integral
from .tallies import tally


def arrays(keys, V, mu, tau, sigma, theta, V_reset, t_ref, R_in, dt):
    """The kernel's per-neuron arrays (state first): all (N,) contiguous."""
    decay, std, var = (np.ascontiguousarray(a) for a in noise.step_constants(tau, sigma, dt))
    n = keys.size
    with np.errstate(divide="ignore"):
        exponent = -2.0 / var                               # the bridge probability is exp(exponent * ab)
    return (keys, V, np.full(n, -np.inf), mu, tau, sigma, theta, V_reset, t_ref, R_in, decay, std, var, exponent,
            np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.zeros(n + 8, dtype=np.bool_),
            np.ones(n), np.zeros(n), np.zeros(n))        # the next cut step's decay, std and bridge variance


@numba.njit(cache=True, nogil=True, inline="always")
def far_step(v, tf, t0, t1, mu, decay, std, theta, exponent, z, spare, stim, has_stim):
    """One neuron's step t0 .. t1 if it is far from threshold and free all through (branch-free: it vectorises):
    (V at the step's end, False), or (v, True) where the step needs :func:`special_step`; (v, False) while
    refractory for the whole step."""
    active = tf < t1                    # else refractory for the whole step
    cut = tf > t0                       # and active: the refractory period ends inside the step
    m = mu + (v - mu) * decay
    if has_stim:
        m = m + stim
    v1 = m + std * z
    near = (theta - v) * (theta - v1) * exponent > log_bound(spare)
    special = active & (cut | (v1 >= theta) | (v >= theta) | near)
    return (v1 if (active & (not special)) else v), special


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_block(lo, hi, k0, k1, dt, arr, kinds, times, amps, record, tallies, window, sp_neuron, sp_time, sp_step, pos):
    """Steps k0 (even) .. k1 - 1 of neurons lo .. hi - 1; returns the step reached (< k1, even: the spike buffer
    might not hold the spikes of that step and the next).
    ``record``: spikes into the buffers, else into the tallies (:mod:`lifsim.noisy.tallies`, ``window`` (t0, t1)).

    The loops are written out here, not called: every call of a function that takes arrays costs atomic
    reference counts per array.
    """
    keys, V, t_free, mu, tau, sigma, theta, V_reset, t_ref, R_in = (arr[0][lo:hi], arr[1][lo:hi], arr[2][lo:hi],
                                                                   arr[3][lo:hi], arr[4][lo:hi], arr[5][lo:hi],
                                                                   arr[6][lo:hi], arr[7][lo:hi], arr[8][lo:hi],
                                                                   arr[9][lo:hi])
    decay, std, var, exponent = arr[10][lo:hi], arr[11][lo:hi], arr[12][lo:hi], arr[13][lo:hi]
    z_even, z_odd, s_even, s_odd, stim = arr[14][lo:hi], arr[15][lo:hi], arr[16][lo:hi], arr[17][lo:hi], arr[18][lo:hi]
    flag = arr[19][lo:lo + (hi - lo + 7) // 8 * 8]            # padded to whole words
    cut_decay, cut_std, cut_var = arr[20][lo:hi], arr[21][lo:hi], arr[22][lo:hi]
    words = flag.view(np.uint64)
    n = hi - lo
    has_stim = kinds.size > 0
    noisy = False                   # else no step of the block needs a random number: z = s = 0 (std = var = 0)
    for i in range(n):
        noisy |= sigma[i] != 0
    if not noisy:
        z_odd[:] = 0.0
        s_odd[:] = 0.0
    for k in range(k0, k1):
        if record and k % 2 == 0 and sp_neuron.size - pos[0] < 2 * n:
            return k        # stops before an even step only: the pair's draws are made there
        t0, t1 = k * dt, (k + 1) * dt
        if has_stim:
            for i in range(n):
                stim[i] = R_in[i] / tau[i] * exp_weighted_integral(kinds, times, amps, lo + i, t0, t1, tau[i])
        count = 0
        even = noisy and k % 2 == 0
        if even:             # draw the pair of steps as the loop goes, keep the odd step's (and, for the flagged
            counter = np.uint64(k // 2)                                  # neurons, the even step's) numbers
            for i in range(n):
                ze, zo, se, so = pair_draw(keys[i], counter)
                z_even[i], z_odd[i], s_even[i], s_odd[i] = ze, zo, se, so
                V[i], special = far_step(V[i], t_free[i], t0, t1, mu[i], decay[i], std[i], theta[i], exponent[i],
                                         ze, se, stim[i], has_stim)
                flag[i] = special
                count += special
        else:
            for i in range(n):
                V[i], special = far_step(V[i], t_free[i], t0, t1, mu[i], decay[i], std[i], theta[i], exponent[i],
                                         z_odd[i], s_odd[i], stim[i], has_stim)
                flag[i] = special
                count += special
        z, spare = (z_even, s_even) if even else (z_odd, s_odd)
        if count == 0:
            continue
        for word in range(words.size):       # the flagged neurons, eight flags at a time
            if words[word] == 0:
                continue
            for i in range(8 * word, 8 * word + 8):
                if not flag[i]:
                    continue
                c = 0.0
                if has_stim:
                    c = R_in[i] / tau[i] * exp_weighted_integral(kinds, times, amps, lo + i, max(t0, t_free[i]), t1,
                                                                  tau[i])
                cut = t_free[i] > t0
                V[i], time = special_step(keys[i], k, dt, V[i], t_free[i], mu[i], tau[i], sigma[i], theta[i],
                                          cut_decay[i] if cut else decay[i], cut_std[i] if cut else std[i],
                                          cut_var[i] if cut else var[i], z[i], spare[i], c, has_stim)
                if time == time:
                    if record:
                        sp_neuron[pos[0]], sp_time[pos[0]], sp_step[pos[0]] = lo + i, time, k
                        pos[0] += 1
                    else:
                        tally(tallies, lo + i, time, window[0], window[1])
                    V[i] = V_reset[i]
                    t_free[i] = time + t_ref[i]
                    cut_decay[i], cut_std[i], cut_var[i] = release_constants(t_free[i], dt, tau[i], sigma[i])
    return k1


@numba.njit(cache=True, parallel=True, error_model="numpy")
def run_blocks(starts, ends, k_from, k1, dt, arr, kinds, times, amps, record, tallies, window, sp_neuron, sp_time,
               sp_step, pos):
    for b in numba.prange(starts.size):
        if k_from[b] < k1:
            k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, dt, arr, kinds, times, amps, record, tallies,
                                  window, sp_neuron[b], sp_time[b], sp_step[b], pos[b])
