"""The ``exact`` OU-current scheme compiled (numba): the reference :func:`lifsim.noisy.ou_current.run_exact`.

Per block of neurons and step, one branch-free loop over the block (it vectorises) draws the step's
two normals (slot SLOT_CURRENT at counter k: Philox and :mod:`lifsim.boxmuller`) and does every full
step below threshold with the per-neuron coefficients of a full step that the reference uses too
(:func:`lifsim.noisy.ou_transition.joint_coefficients` of dt, computed once in NumPy). A neuron takes
the scalar path (:func:`special_step`, the reference's arithmetic for one neuron) when it is
refractory for some of the step (the current advanced alone, slot SLOT_CURRENT_SPLIT, and the joint
transition over the step's free part with its own coefficients, :func:`joint_coefficients` here) or
when V reaches theta at the step's end (the spike time from the cubic Hermite interpolant, bisected
as the reference does). Every exp and expm1 is :mod:`lifsim.portable`'s on both sides, the quadrature
sums its nodes in the same order and the bisection is the same arithmetic, so the spike trains and the
final (V, I) are the reference's bit for bit.
"""
from __future__ import annotations

import math

import numpy as np

from ..boxmuller import normal_pair
from ..numba_start import numba
from ..philox_block import philox_normal_pair, philox_words, uniforms_of_words
from ..portable import exp_scalar, expm1_scalar
from . import SLOT_CURRENT, SLOT_CURRENT_SPLIT
from .ou_transition import CLOSE, MAX_RATIO, S, W

HERMITE_ITERATIONS = 24     # ou_transition.hermite_crossing's default


@numba.njit(cache=True, nogil=True, inline="always")
def ex(z):
    """``ou_transition.ex`` of one float: (1 - e^-z) / z, 1 at z = 0."""
    return 1.0 if z == 0.0 else -expm1_scalar(-z) / z


@numba.njit(cache=True, nogil=True, inline="always")
def phi(z):
    """``ou_transition.phi`` of one float: (e^z - 1) / z, 1 at z = 0."""
    return 1.0 if z == 0.0 else expm1_scalar(z) / z


@numba.njit(cache=True, nogil=True, error_model="numpy")
def joint_coefficients(tau, R, std, tau_s, h):
    """``ou_transition.joint_coefficients`` of one neuron: (decay_u, decay_I, Rc, L_II, L_uI, L_uu)."""
    alpha, beta = h / tau, h / tau_s
    d = alpha - beta
    close = abs(d) < CLOSE
    decay_u, decay_I = exp_scalar(-alpha), exp_scalar(-beta)
    if abs(d) > 1.0:
        c = alpha * (decay_I - decay_u) / d
    else:
        c = alpha * decay_u * phi(d)
    if close and min(alpha, beta) > MAX_RATIO:
        i_uI = i_uu = alpha / (2.0 * beta * (alpha + beta))
    elif close:
        i_uI, i_uu = 0.0, 0.0
        for j in range(S.size):
            s = S[j]
            g = alpha * s * exp_scalar(-alpha * s) * phi(d * s)
            i_uI = i_uI + W[j] * g * exp_scalar(-beta * s)
            i_uu = i_uu + W[j] * g * g
    else:
        q = alpha / d
        x2b, xab = ex(2.0 * beta), ex(alpha + beta)
        i_uI = q * (x2b - xab)
        i_uu = q * q * (x2b - 2.0 * xab + ex(2.0 * alpha))
    var_I = std * std * -expm1_scalar(-2.0 * beta)
    cov = R * std * std * 2.0 * beta * i_uI
    var_u = (R * std) * (R * std) * 2.0 * beta * max(i_uu, 0.0)
    L_II = math.sqrt(var_I)
    L_uI = cov / L_II if L_II > 0 else 0.0
    L_uu = math.sqrt(max(var_u - L_uI * L_uI, 0.0))
    return decay_u, decay_I, R * c, L_II, L_uI, L_uu


@numba.njit(cache=True, nogil=True, error_model="numpy")
def hermite_crossing(V0, V1, dV0, dV1, theta, h):
    """``ou_transition.hermite_crossing`` of one neuron (the same bisection, the same arithmetic)."""
    if V0 >= theta:
        return 0.0
    m0, m1 = h * dV0, h * dV1
    c0, c1 = V0 - theta, m0
    c2 = 3.0 * (V1 - V0) - 2.0 * m0 - m1
    c3 = 2.0 * (V0 - V1) + m0 + m1
    lo, hi = 0.0, 1.0
    for _ in range(HERMITE_ITERATIONS):
        mid = 0.5 * (lo + hi)
        if ((c3 * mid + c2) * mid + c1) * mid + c0 >= 0.0:
            hi = mid
        else:
            lo = mid
    return hi * h


@numba.njit(cache=True, nogil=True, error_model="numpy")
def special_step(key, k, dt, v, cur, t_free, mu, tau, R, std, tau_s, theta, du, dI, Rc, L_II, L_uI, L_uu,
                 hold_decay, hold_sd):
    """One neuron's step k as the reference does it: returns (V, I at the step's end, spike time or NaN).
    ``du`` .. ``L_uu``: the full step's coefficients (used unless the refractory period ends inside the step);
    ``hold_decay``, ``hold_sd``: the current's own transition over a whole step (``current_transition`` of dt)."""
    t0, t1 = k * dt, (k + 1) * dt
    start = max(t0, t_free)
    if start > t0:                               # held for all or part of the step: the current alone first
        active = start < t1
        z = philox_normal_pair(key, np.uint64(k), SLOT_CURRENT_SPLIT)[0]
        if not active:                           # held all step: the whole step's constants
            return v, cur * hold_decay + hold_sd * z, np.nan
        h_pre = start - t0
        cur = cur * exp_scalar(-h_pre / tau_s) + std * math.sqrt(-expm1_scalar(-2.0 * h_pre / tau_s)) * z
        du, dI, Rc, L_II, L_uI, L_uu = joint_coefficients(tau, R, std, tau_s, t1 - start)
    z1, z2 = philox_normal_pair(key, np.uint64(k), SLOT_CURRENT)
    i1 = cur * dI + L_II * z1
    v1 = mu + ((v - mu) * du + Rc * cur + L_uI * z1 + L_uu * z2)
    if not v1 >= theta:
        return v1, i1, np.nan
    slope0 = (mu + R * cur - v) / tau
    slope1 = (mu + R * i1 - v1) / tau
    return v1, i1, start + hermite_crossing(v, v1, slope0, slope1, theta, t1 - start)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_block(lo, hi, k0, k1, dt, arr, sp_neuron, sp_time, sp_step, pos):
    """Steps k0 .. k1 - 1 of neurons lo .. hi - 1; returns the step reached (< k1: the spike buffer is full).
    The loops are written out here: every call of a function that takes arrays costs reference counts."""
    keys, V, I, t_free, mu, tau, R, std = (arr[0][lo:hi], arr[1][lo:hi], arr[2][lo:hi], arr[3][lo:hi],
                                           arr[4][lo:hi], arr[5][lo:hi], arr[6][lo:hi], arr[7][lo:hi])
    tau_s, theta, V_reset, t_ref = arr[8][lo:hi], arr[9][lo:hi], arr[10][lo:hi], arr[11][lo:hi]
    du, dI, Rc, L_II, L_uI, L_uu = (arr[12][lo:hi], arr[13][lo:hi], arr[14][lo:hi], arr[15][lo:hi],
                                    arr[16][lo:hi], arr[17][lo:hi])
    hold_decay, hold_sd = arr[18][lo:hi], arr[19][lo:hi]
    flag = arr[20][lo:lo + (hi - lo + 7) // 8 * 8]            # padded to whole words
    words = flag.view(np.uint64)
    n = hi - lo
    for k in range(k0, k1):
        if sp_neuron.size - pos[0] < n:
            return k
        t0 = k * dt
        counter = np.uint64(k)
        count = 0
        for i in range(n):       # full steps below threshold, branch-free (vectorises); flags the rest
            c0, c1, c2, c3 = philox_words(keys[i], counter, SLOT_CURRENT)
            u, w = uniforms_of_words(c0, c1, c2, c3)
            z1, z2 = normal_pair(u, w)
            v, cur = V[i], I[i]
            i1 = cur * dI[i] + L_II[i] * z1
            v1 = mu[i] + ((v - mu[i]) * du[i] + Rc[i] * cur + L_uI[i] * z1 + L_uu[i] * z2)
            special = (t_free[i] > t0) | (v1 >= theta[i])
            V[i] = v if special else v1
            I[i] = cur if special else i1
            flag[i] = special
            count += special
        if count == 0:
            continue
        for word in range(words.size):       # the flagged neurons, eight flags at a time
            if words[word] == 0:
                continue
            for i in range(8 * word, 8 * word + 8):
                if not flag[i]:
                    continue
                V[i], I[i], time = special_step(keys[i], k, dt, V[i], I[i], t_free[i], mu[i], tau[i], R[i], std[i],
                                                tau_s[i], theta[i], du[i], dI[i], Rc[i], L_II[i], L_uI[i], L_uu[i],
                                                hold_decay[i], hold_sd[i])
                if time == time:
                    sp_neuron[pos[0]], sp_time[pos[0]], sp_step[pos[0]] = lo + i, time, k
                    pos[0] += 1
                    V[i] = V_reset[i]
                    t_free[i] = time + t_ref[i]
    return k1


@numba.njit(cache=True, parallel=True, error_model="numpy")
def run_blocks(starts, ends, k_from, k1, dt, arr, sp_neuron, sp_time, sp_step, pos):
    for b in numba.prange(starts.size):
        if k_from[b] < k1:
            k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, dt, arr, sp_neuron[b], sp_time[b], sp_step[b],
                                  pos[b])
