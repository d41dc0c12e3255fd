"""LIF neurons driven by an Ornstein-Uhlenbeck current added to I_e (NumPy reference integrators).

Model per neuron (the effective form of :mod:`lifsim.noisy.exact_noise`, with R_in = R_m / L):
    tau dV = (-(V - mu) + R_in I) dt,   dI = -I / tau_s dt + std sqrt(2 / tau_s) dW,
spike when V reaches theta, then V = V_reset for t_ref; I runs on through the refractory period and after
spikes (it is the input, not the neuron's state). I starts from its stationary law, N(0, std^2).

``exact``: the exact OU transition of I while V is held, and the exact joint Gaussian transition of (V, I)
(:mod:`lifsim.noisy.ou_transition`) over each free step, or its free part after a refractory period ends
inside the step (I first advanced exactly to that time). V has no diffusion of its own, so it is
continuously differentiable: the threshold is tested at the step's end, and a spike's time is where the
cubic Hermite interpolant of V (values and slopes dV/dt at both ends, both known exactly) reaches theta.
A path that crosses theta and comes back below it within one step is not seen: with V differentiable such
excursions are rare (probability O(dt^2) per step, so a rate bias O(dt) with a small constant; it shows in
the convergence with dt). t_ref >= dt is required (one spike per step at most).
``euler``: Euler-Maruyama for both I and V, the threshold on the grid, spikes at grid times and a
refractory period of round(t_ref / dt) steps (as lifsim.noisy.exact_noise's euler).

Random numbers: per neuron from its Philox stream, slots ``SLOT_CURRENT`` (the joint step),
``SLOT_CURRENT_SPLIT`` (I up to the end of a refractory period, or over a refractory step) and
``SLOT_CURRENT_START`` (the start value), so a neuron's path does not depend on the batch it is run in.

This module is the NumPy reference; :func:`simulate` runs the compiled kernels of
:mod:`lifsim.noisy.ou_numba` (``euler``, and the driver) and :mod:`lifsim.noisy.ou_numba_exact`
(``exact``) where they pay (:func:`lifsim.noisy.kernel_choice.choose`). Both give the same spike trains
and final (V, I) bit for bit: the exp and expm1 whose last bit could differ between NumPy and libm are
:mod:`lifsim.portable`'s on both sides, and the rest is the same arithmetic in the same order.
"""
from __future__ import annotations

import numpy as np

from .. import philox_block
from . import SLOT_CURRENT, SLOT_CURRENT_SPLIT, SLOT_CURRENT_START
from .exact_noise import concat, grid_threshold, random_blocks
from .ou_transition import current_transition, hermite_crossing, joint_coefficients, step


def start_current(keys, std, I0=None):
    """I at t = 0: the given values, or a draw from the stationary law N(0, std^2) (slot SLOT_CURRENT_START)."""
    if I0 is not None:
        return np.broadcast_to(np.asarray(I0, dtype=np.float64), keys.shape).copy()
    return std * philox_block.block(keys, 0, 1, SLOT_CURRENT_START, True)[0][0]


def simulate(method: str, keys, mu, tau, R_in, std, tau_s, theta, V_reset, t_ref, duration: float, dt: float,
             V0=None, I0=None, kernel: str | None = None, threads: int | None = None):
    """Spikes of N neurons, ``(neuron index, time)`` in order of occurrence (by step, then neuron), and the
    final ``(V, I)``.

    ``kernel``: ``numpy`` (this module), ``numba`` (compiled) or None (:func:`lifsim.noisy.kernel_choice.choose`);
    ``threads`` caps the compiled kernel's threads.
    """
    return simulate_with_info(method, keys, mu, tau, R_in, std, tau_s, theta, V_reset, t_ref, duration, dt, V0, I0,
                              kernel, threads)[:4]


def simulate_with_info(method: str, keys, mu, tau, R_in, std, tau_s, theta, V_reset, t_ref, duration: float,
                       dt: float, V0=None, I0=None, kernel: str | None = None, threads: int | None = None):
    """:func:`simulate`, and ``{"kernel": ..., "threads": ...}``: what ran."""
    from .kernel_choice import choose

    keys = np.asarray(keys, dtype=np.uint64)
    n = keys.size
    arrays = (mu, tau, R_in, std, tau_s, theta, V_reset, t_ref)
    mu, tau, R_in, std, tau_s, theta, V_reset, t_ref = (np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))
                                                        for a in arrays)
    V = (V_reset if V0 is None else np.broadcast_to(np.asarray(V0, dtype=np.float64), (n,))).copy()
    I = start_current(keys, std, I0)
    n_steps = int(round(duration / dt))
    neuron = (mu, tau, R_in, std, tau_s, theta, V_reset, t_ref)
    if method not in ("exact", "euler"):
        raise ValueError(f"unknown method {method!r} (expected 'exact' or 'euler')")
    if method == "exact" and np.any(t_ref < dt):
        raise ValueError("the exact OU-current scheme needs t_ref >= dt (one spike per step at most)")
    kernel = kernel or choose("ou_" + method, n, n_steps)
    if kernel == "numba":
        from .ou_numba import run_compiled
        return run_compiled(method, keys, V, I, neuron, n_steps, dt, threads)
    run = run_exact if method == "exact" else run_euler
    return (*run(keys, V, I, neuron, n_steps, dt), {"kernel": "numpy", "threads": 1})


def run_exact(keys, V, I, neuron, n_steps, dt):
    mu, tau, R_in, std, tau_s, theta, V_reset, t_ref = neuron
    full = joint_coefficients(tau, R_in, std, tau_s, dt)
    t_free = np.full(keys.size, -np.inf)
    who, when = [], []
    for k, draws in random_blocks(keys, n_steps, (SLOT_CURRENT, SLOT_CURRENT_SPLIT), ()):
        t0, t1 = k * dt, (k + 1) * dt
        start = np.maximum(t0, t_free)
        active = start < t1
        split = start > t0                       # held for all (inactive) or part of the step
        if split.any():
            i = np.flatnonzero(split)
            h_pre = np.where(active[i], start[i] - t0, dt)
            mean, sd = current_transition(I[i], std[i], tau_s[i], h_pre)
            I[i] = mean + sd * draws[SLOT_CURRENT_SPLIT][0][i]
        z1, z2 = draws[SLOT_CURRENT]
        coef = full
        if split.any():                          # the free part after a refractory period: its own length
            coef = {key: value.copy() for key, value in full.items()}
            part = joint_coefficients(tau[i], R_in[i], std[i], tau_s[i], np.where(active[i], t1 - start[i], 0.0))
            for key in coef:
                coef[key][i] = part[key]
        u1, I1 = step(V - mu, I, coef, z1, z2)
        V1 = mu + u1
        spike = active & (V1 >= theta)
        if spike.any():
            j = np.flatnonzero(spike)
            h = t1 - start[j]
            slope0 = (mu[j] + R_in[j] * I[j] - V[j]) / tau[j]
            slope1 = (mu[j] + R_in[j] * I1[j] - V1[j]) / tau[j]
            times = start[j] + hermite_crossing(V[j], V1[j], slope0, slope1, theta[j], h)
            who.append(j)
            when.append(times)
            V1[j] = V_reset[j]
            t_free[j] = times + t_ref[j]
        V = np.where(active, V1, V)
        I = I1
    return (*concat(who, when), V, I)


def run_euler(keys, V, I, neuron, n_steps, dt):
    mu, tau, R_in, std, tau_s, theta, V_reset, t_ref = neuron
    ref_steps = np.rint(t_ref / dt).astype(np.int64)
    held = np.zeros(keys.size, dtype=np.int64)
    a, decay, kick = dt / tau, dt / tau_s, std * np.sqrt(2.0 * dt / tau_s)
    who, when = [], []
    for k, draws in random_blocks(keys, n_steps, (SLOT_CURRENT,), ()):
        V1 = V + a * (mu + R_in * I - V)
        I = I - decay * I + kick * draws[SLOT_CURRENT][0]
        V, held = grid_threshold(V1, held, theta, V_reset, ref_steps, (k + 1) * dt, who, when)
    return (*concat(who, when), V, I)
