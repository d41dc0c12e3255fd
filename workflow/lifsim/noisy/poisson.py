"""Poisson input from the keyed streams, and the x -> g cascade it drives (exact, events at their own times).

Per step k and neuron i the count is Poisson(rate dt) by inversion of the first uniform
of slot SLOT_POISSON, and event j sits at offset dt * u inside the step, u the
(j % 2)-th uniform of slot SLOT_POISSON + 1 + j // 2. So event times depend only on
(seed, point, neuron index, step) and never on the batch.

Cascade (lifsim's synapse): x += g_star at each event, tau dx/dt = -x, tau dg/dt = x - g.
One event gives g(t) = g_star (t/tau) e^{-t/tau}; by Campbell's theorem a Poisson train at
rate nu gives mean g = nu g_star tau and variance nu g_star^2 tau / 4.
"""
from __future__ import annotations

import numpy as np

from .. import noise, philox_block
from . import SLOT_POISSON


def step_events(keys, k: int, rate, dt: float):
    """(counts (N,), offsets (max count, N) in [0, dt), valid (max count, N)) for step k."""
    u = philox_block.block(keys, k, 1, SLOT_POISSON, False)[0][0]
    counts = noise.poisson_counts(np.asarray(rate) * dt, u)
    top = int(counts.max()) if counts.size else 0
    offsets = np.zeros((top, keys.size))
    for j in range(0, top, 2):
        a, b = philox_block.block(keys, k, 1, SLOT_POISSON + 1 + j // 2, False)
        offsets[j] = a[0] * dt
        if j + 1 < top:
            offsets[j + 1] = b[0] * dt
    return counts, offsets, np.arange(top)[:, None] < counts


def event_times(keys, rate, dt: float, n_steps: int):
    """All events of [0, n_steps dt): (neuron index, time) arrays."""
    keys = np.asarray(keys, dtype=np.uint64)
    who, when = [], []
    for k in range(n_steps):
        counts, offsets, valid = step_events(keys, k, rate, dt)
        j, i = np.nonzero(valid)
        who.append(i)
        when.append(k * dt + offsets[j, i])
    return np.concatenate(who), np.concatenate(when)


def cascade_moments(keys, rate, g_star, tau, dt: float, n_steps: int, burn_in_steps: int):
    """Per-neuron time averages of g and of g^2 on the grid after the burn-in (exact propagation).

    For the variance subtract the square of the mean over all neurons: each neuron's own
    mean would bias it low by the variance of a time average (about 4 tau / duration).
    """
    keys = np.asarray(keys, dtype=np.uint64)
    x = np.zeros(keys.size)
    g = np.zeros(keys.size)
    decay = np.exp(-dt / tau)
    total, total_sq, samples = np.zeros(keys.size), np.zeros(keys.size), 0
    for k in range(n_steps):
        g = (g + x * dt / tau) * decay
        x = x * decay
        counts, offsets, valid = step_events(keys, k, rate, dt)
        if counts.any():
            late = dt - offsets                       # time from each event to the step's end
            weight = np.where(valid, np.exp(-late / tau), 0.0)
            x = x + g_star * weight.sum(axis=0)
            g = g + g_star * (weight * late / tau).sum(axis=0)
        if k + 1 >= burn_in_steps:
            total += g
            total_sq += g * g
            samples += 1
    return total / samples, total_sq / samples
