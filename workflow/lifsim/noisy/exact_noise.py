"""White-noise LIF integrators: the exact OU transition with a bridge test, and Euler-Maruyama.

Model (Brunel's convention, see :mod:`lifsim.noise`), per neuron i:
    tau dV = -(V - mu - R_in I(t)) dt + sigma sqrt(tau) dW,  spike when V reaches theta,
    then V = V_reset for t_ref,
where mu is the effective rest (constant conductances and I_e folded in), tau the
effective time constant, sigma the effective Brunel sigma (free-membrane std sigma/sqrt(2))
and I(t) the summed :mod:`lifsim.stimulus` components. All arrays have shape (N,) (scalars
broadcast); times in s, voltages in V.

``exact``: each step (or the part of it after the refractory period ends) uses the exact
Gaussian transition, the stimulus' exact exponentially weighted integral, and the bridge
crossing test; a spike's time is drawn inside the step and the refractory period runs from
it (t_ref >= dt is required, so a neuron spikes at most once per step).
``euler``: Euler-Maruyama with the threshold tested on the grid; spikes at grid times and a
refractory period of round(t_ref / dt) steps, as in lifsim.sim.euler.
Both use the same Gaussian numbers for the same step of the same neuron: the increment of step k is
the (k % 2)-th Box-Muller normal of slot SLOT_V at counter k // 2 (:func:`step_randoms`); the bridge
test's uniform is (s + u_low) / 2048, s the step's spare bits of SLOT_V and u_low the first uniform of
SLOT_TEST at counter k; the crossing time uses SLOT_TEST's second uniform and SLOT_TIME's first normal
(see :mod:`lifsim.noisy`).
A full step (h = dt) uses the step constants computed once per neuron
(:func:`lifsim.noise.step_constants` of dt), a step cut by the end of the refractory period its own.

This module is the NumPy reference; :func:`simulate` runs the compiled kernels of
:mod:`lifsim.noisy.exact_noise_numba` and :mod:`lifsim.noisy.euler_noise_numba` where they pay
(:func:`lifsim.noisy.kernel_choice.choose`). Without stimulus components both give the same spike
trains bit for bit (every transcendental function whose result matters is :mod:`lifsim.portable`'s or
computed once in NumPy and shared); with components, to rounding (the stimulus' exp and sin are
NumPy's here and libm's there).
"""
from __future__ import annotations

import numpy as np

from .. import noise, philox_block, portable, stimulus
from . import SLOT_TEST, SLOT_TIME, SLOT_V

BLOCK_ELEMENTS = 1 << 16   # random numbers are drawn for blocks of steps x neurons of about this size
SPARE_VALUES = 2048.0      # the spare bits s of a step take 2^11 values


def random_blocks(keys, n_steps: int, slots: tuple[int, ...], uniform_slots: tuple[int, ...]):
    """Yield (k, draws) per step, with draws[slot] = the two (N,) arrays of that slot at counter k (the generic
    layout; the integrators here draw through :func:`step_draws`)."""
    keys = np.asarray(keys, dtype=np.uint64)
    block = max(1, BLOCK_ELEMENTS // max(keys.size, 1))
    for first in range(0, n_steps, block):
        count = min(block, n_steps - first)
        drawn = {s: philox_block.block(keys, first, count, s, True) for s in slots}
        drawn.update({s: philox_block.block(keys, first, count, s, False) for s in uniform_slots})
        for j in range(count):
            yield first + j, {s: (pair[0][j], pair[1][j]) for s, pair in drawn.items()}


def step_randoms(keys, first: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(count, N) each: the increments' normals and the spare bits s of steps first .. first + count - 1
    (SLOT_V at counter k // 2, see :mod:`lifsim.noisy`)."""
    m0, m1 = first // 2, (first + count - 1) // 2
    pairs = (philox_block.block(keys, m0, m1 - m0 + 1, SLOT_V, True),
             philox_block.block(keys, m0, m1 - m0 + 1, SLOT_V, False, spare=True))
    out = []
    for even, odd in pairs:
        a = np.empty((2 * even.shape[0], keys.size))
        a[0::2], a[1::2] = even, odd
        out.append(a[first - 2 * m0:first - 2 * m0 + count])
    return out[0], out[1]


def step_draws(keys, n_steps: int, uniform_slots: tuple[int, ...]):
    """Yield (k, z, s, draws) per step: z the (N,) increments, s the spare bits, draws[slot] the two (N,)
    uniforms of that slot."""
    keys = np.asarray(keys, dtype=np.uint64)
    block = max(2, (BLOCK_ELEMENTS // max(keys.size, 1)) & ~1)      # even: blocks start at even steps
    for first in range(0, n_steps, block):
        count = min(block, n_steps - first)
        z, spare = step_randoms(keys, first, count)
        drawn = {s: philox_block.block(keys, first, count, s, False) for s in uniform_slots}
        for j in range(count):
            yield first + j, z[j], spare[j], {s: (pair[0][j], pair[1][j]) for s, pair in drawn.items()}


def simulate(method: str, keys, mu, tau, sigma, theta, V_reset, t_ref, duration: float, dt: float,
             R_in=0.0, components=(), V0=None, kernel: str | None = None, threads: int | None = None):
    """Spikes of N neurons: (neuron index, time) arrays in order of occurrence (by step, then neuron).

    ``kernel``: ``numpy`` (this module), ``numba`` (compiled) or None (:func:`lifsim.noisy.kernel_choice.choose`);
    ``threads`` caps the compiled kernel's threads.
    """
    index, times, _ = simulate_with_info(method, keys, mu, tau, sigma, theta, V_reset, t_ref, duration, dt, R_in,
                                         components, V0, kernel, threads)
    return index, times


def simulate_with_info(method: str, keys, mu, tau, sigma, theta, V_reset, t_ref, duration: float, dt: float,
                       R_in=0.0, components=(), V0=None, kernel: str | None = None, threads: int | None = None):
    """:func:`simulate`, and ``{"kernel": ..., "threads": ...}``: what ran."""
    kernel, args = prepare(method, keys, mu, tau, sigma, theta, V_reset, t_ref, duration, dt, R_in, components, V0,
                           kernel)
    if kernel == "numba":
        from .noise_blocks import run_compiled
        return run_compiled(method, *args, threads=threads)
    run = run_exact if method == "exact" else run_euler
    return (*run(*args), {"kernel": "numpy", "threads": 1})


def simulate_sums(method: str, keys, mu, tau, sigma, theta, V_reset, t_ref, duration: float, dt: float, window,
                  R_in=0.0, components=(), V0=None, kernel: str | None = None, threads: int | None = None):
    """:func:`simulate`'s spikes made into :func:`lifsim.noisy.points.interval_sums` of ``window`` (t0, t1), without
    ``order``, and ``{"kernel", "threads"}``. The compiled kernel tallies them as they occur (no spikes kept:
    :mod:`lifsim.noisy.tallies`); the same numbers, bit for bit."""
    kernel, args = prepare(method, keys, mu, tau, sigma, theta, V_reset, t_ref, duration, dt, R_in, components, V0,
                           kernel)
    if kernel == "numba":
        from .noise_blocks import tally_compiled
        return tally_compiled(method, *args, window, threads=threads)
    from .points import interval_sums

    index, times = (run_exact if method == "exact" else run_euler)(*args)
    sums = interval_sums(index, times, args[0].size, *window)
    del sums["order"]
    return sums, {"kernel": "numpy", "threads": 1}


def prepare(method, keys, mu, tau, sigma, theta, V_reset, t_ref, duration, dt, R_in, components, V0, kernel):
    """The kernel to run (``kernel`` or :func:`lifsim.noisy.kernel_choice.choose`'s) and its arguments, checked."""
    from .kernel_choice import choose

    keys = np.asarray(keys, dtype=np.uint64)
    n = keys.size
    mu, tau, sigma, theta, V_reset, t_ref, R_in = (np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))
                                                  for a in (mu, tau, sigma, theta, V_reset, t_ref, R_in))
    V = (V_reset if V0 is None else np.broadcast_to(np.asarray(V0, dtype=np.float64), (n,))).copy()
    n_steps = int(round(duration / dt))
    if method not in ("exact", "euler"):
        raise ValueError(f"unknown method {method!r} (expected 'exact' or 'euler')")
    if method == "exact" and np.any(t_ref < dt):
        raise ValueError("the exact noise scheme needs t_ref >= dt (one spike per step at most)")
    kernel = kernel or choose(method, n, n_steps)
    return kernel, (keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, list(components))


def run_exact(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components):
    t_free = np.full(keys.size, -np.inf)
    full = noise.step_constants(tau, sigma, dt)
    who, when = [], []
    for k, z, spare, draws in step_draws(keys, n_steps, (SLOT_TEST,)):
        t0, t1 = k * dt, (k + 1) * dt
        start = np.maximum(t0, t_free)
        active = start < t1
        partial = active & (start > t0)
        h = np.where(partial, t1 - start, dt)
        decay, std, var = full
        if partial.any():
            decay, std, var = (np.where(partial, cut, whole) for cut, whole in zip(
                noise.cut_step_constants(tau, sigma, h), full))
        mean = mu + (V - mu) * decay
        if components:
            mean = mean + R_in / tau * stimulus.exp_weighted_integral(components, np.minimum(start, t1), t1, tau)
        u_low, u_time = draws[SLOT_TEST]
        u_bridge = (spare + u_low) / SPARE_VALUES
        V1 = mean + std * z
        p = noise.bridge_crossing_probability(V, V1, theta, sigma, tau, h, variance=var)
        spike = active & ((V1 >= theta) | (u_bridge < p))
        if spike.any():
            i = np.flatnonzero(spike)
            offset = deterministic_offset(V[i], mean[i], theta[i], tau[i], h[i])
            n = sigma[i] > 0
            if n.any():
                i_n = i[n]
                z_time = philox_block.block(keys[i_n], k, 1, SLOT_TIME, True)[0][0]
                offset[n] = noise.crossing_time(V[i_n], V1[i_n], theta[i_n], sigma[i_n], tau[i_n], h[i_n],
                                                z_time, u_time[i_n], variance=var[i_n])
            times = start[i] + offset
            who.append(i)
            when.append(times)
            V1[i] = V_reset[i]
            t_free[i] = times + t_ref[i]
        V = np.where(active, V1, V)
    return concat(who, when)


def deterministic_offset(V0, V1, theta, tau, h):
    """sigma = 0: where the exponential relaxation from V0 to V1 over h reaches theta."""
    decay = portable.exp(-h / tau)
    target = (V1 - V0 * decay) / (1.0 - decay)          # the step's asymptote
    with np.errstate(divide="ignore", invalid="ignore"):
        t = tau * portable.log((target - V0) / (target - theta))
    return np.clip(np.nan_to_num(t, nan=h), 0.0, h)


def run_euler(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components):
    ref_steps = np.rint(t_ref / dt).astype(np.int64)
    held = np.zeros(keys.size, dtype=np.int64)
    a, noise_scale = dt / tau, sigma * np.sqrt(dt / tau)
    who, when = [], []
    for k, z, _, _ in step_draws(keys, n_steps, ()):
        drive = mu + R_in * stimulus.value(components, k * dt) if components else mu
        V1 = V + a * (drive - V) + noise_scale * z
        V, held = grid_threshold(V1, held, theta, V_reset, ref_steps, (k + 1) * dt, who, when)
    return concat(who, when)


def grid_threshold(V1, held, theta, V_reset, ref_steps, t_end: float, who: list, when: list):
    """Euler-Maruyama's end of a step: refractory neurons held at V_reset, the threshold tested on the grid,
    spikes (at t_end) appended to ``who``/``when``; returns the new (V, held)."""
    free = held == 0
    V = np.where(free, V1, V_reset)
    held = np.where(free, 0, held - 1)
    spike = free & (V >= theta)
    if spike.any():
        i = np.flatnonzero(spike)
        who.append(i)
        when.append(np.full(i.size, t_end))
        V[i] = V_reset[i]
        held[i] = ref_steps[i]
    return V, held


def concat(who, when):
    if not who:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(who), np.concatenate(when)


def trains(index, times, n: int) -> list[np.ndarray]:
    """Per-neuron sorted spike times from the flat (index, time) arrays."""
    order = np.lexsort((times, index))
    split = np.searchsorted(index[order], np.arange(1, n))
    return np.split(times[order], split)
