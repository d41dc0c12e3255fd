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
Both use the same Gaussian numbers (slot SLOT_V) for the same step of the same neuron.
"""
from __future__ import annotations

import numpy as np

from .. import noise, philox_block, stimulus
from . import SLOT_TEST, SLOT_V

BLOCK_ELEMENTS = 1 << 16   # random numbers are drawn for blocks of steps x neurons of about this size


def random_blocks(keys, n_steps: int, slots: tuple[int, ...], uniform_slots: tuple[int, ...]):
    """Yield (k, draws) per step, with draws[slot] = the two (N,) arrays of that slot at step k."""
    keys = np.asarray(keys, dtype=np.uint64)
    block = max(1, BLOCK_ELEMENTS // max(keys.size, 1))
    for first in range(0, n_steps, block):
        count = min(block, n_steps - first)
        drawn = {s: philox_block.block(keys, first, count, s, True) for s in slots}
        drawn.update({s: philox_block.block(keys, first, count, s, False) for s in uniform_slots})
        for j in range(count):
            yield first + j, {s: (pair[0][j], pair[1][j]) for s, pair in drawn.items()}


def simulate(method: str, keys, mu, tau, sigma, theta, V_reset, t_ref, duration: float, dt: float,
             R_in=0.0, components=(), V0=None):
    """Spikes of N neurons: (neuron index, time) arrays in order of occurrence."""
    keys = np.asarray(keys, dtype=np.uint64)
    n = keys.size
    mu, tau, sigma, theta, V_reset, t_ref, R_in = (np.broadcast_to(np.asarray(a, dtype=np.float64), (n,))
                                                  for a in (mu, tau, sigma, theta, V_reset, t_ref, R_in))
    V = (V_reset if V0 is None else np.broadcast_to(np.asarray(V0, dtype=np.float64), (n,))).copy()
    n_steps = int(round(duration / dt))
    if method == "exact":
        if np.any(t_ref < dt):
            raise ValueError("the exact noise scheme needs t_ref >= dt (one spike per step at most)")
        return run_exact(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, list(components))
    if method == "euler":
        return run_euler(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, list(components))
    raise ValueError(f"unknown method {method!r} (expected 'exact' or 'euler')")


def run_exact(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components):
    t_free = np.full(keys.size, -np.inf)
    who, when = [], []
    for k, draws in random_blocks(keys, n_steps, (SLOT_V,), (SLOT_TEST,)):
        t0, t1 = k * dt, (k + 1) * dt
        start = np.maximum(t0, t_free)
        active = start < t1
        h = np.where(active, t1 - start, dt)
        mean, std = noise.ou_transition(V, mu, tau, sigma, h)
        if components:
            mean = mean + R_in / tau * stimulus.exp_weighted_integral(components, np.minimum(start, t1), t1, tau)
        z, z_time = draws[SLOT_V]
        u_bridge, u_time = draws[SLOT_TEST]
        V1 = mean + std * z
        p = noise.bridge_crossing_probability(V, V1, theta, sigma, tau, h)
        spike = active & ((V1 >= theta) | (u_bridge < p))
        if spike.any():
            i = np.flatnonzero(spike)
            offset = deterministic_offset(V[i], mean[i], theta[i], tau[i], h[i])
            n = sigma[i] > 0
            if n.any():
                i_n = i[n]
                offset[n] = noise.crossing_time(V[i_n], V1[i_n], theta[i_n], sigma[i_n], tau[i_n], h[i_n],
                                                z_time[i_n], u_time[i_n])
            times = start[i] + offset
            who.append(i)
            when.append(times)
            V1[i] = V_reset[i]
            t_free[i] = times + t_ref[i]
        V = np.where(active, V1, V)
    return concat(who, when)


def deterministic_offset(V0, V1, theta, tau, h):
    """sigma = 0: where the exponential relaxation from V0 to V1 over h reaches theta."""
    decay = np.exp(-h / tau)
    target = (V1 - V0 * decay) / (1.0 - decay)          # the step's asymptote
    with np.errstate(divide="ignore", invalid="ignore"):
        t = tau * np.log((target - V0) / (target - theta))
    return np.clip(np.nan_to_num(t, nan=h), 0.0, h)


def run_euler(keys, V, mu, tau, sigma, theta, V_reset, t_ref, n_steps, dt, R_in, components):
    ref_steps = np.rint(t_ref / dt).astype(np.int64)
    held = np.zeros(keys.size, dtype=np.int64)
    a, noise_scale = dt / tau, sigma * np.sqrt(dt / tau)
    who, when = [], []
    for k, draws in random_blocks(keys, n_steps, (SLOT_V,), ()):
        drive = mu + R_in * stimulus.value(components, k * dt) if components else mu
        V1 = V + a * (drive - V) + noise_scale * draws[SLOT_V][0]
        free = held == 0
        V = np.where(free, V1, V_reset)
        held = np.where(free, 0, held - 1)
        spike = free & (V >= theta)
        if spike.any():
            i = np.flatnonzero(spike)
            who.append(i)
            when.append(np.full(i.size, (k + 1) * dt))
            V[i] = V_reset[i]
            held[i] = ref_steps[i]
    return concat(who, when)


def concat(who, when):
    if not who:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(who), np.concatenate(when)


def trains(index, times, n: int) -> list[np.ndarray]:
    """Per-neuron sorted spike times from the flat (index, time) arrays."""
    order = np.lexsort((times, index))
    split = np.searchsorted(index[order], np.arange(1, n))
    return np.split(times[order], split)
