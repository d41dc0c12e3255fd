"""Compiled pieces of the ``exact`` integrator (see ``exact_numba``): the crossing solver and the step of one
connected component, event by event, as ``exact._Kernel._rounds`` does it.

The equations come from :mod:`lifsim.model`, compiled here with ``numba.njit``.
"""
from __future__ import annotations

import numba
import numpy as np

from .. import model
from .propagators import CROSSING_MAX_ITER, CROSSING_RTOL, NEWTON_ACCEPT, TINY

VARS = {"V": 0, "x": 1, "g_syn": 2}
ROWS = ("tau_syn", "V_thr", "V_reset", "t_ref", "g_star", "a0", "a1", "b0", "b1", "decay_h", "u_h", "w_g_h", "w_x_h")
OK, NON_FINITE, TOO_MANY = 0, 1, 2

_jit = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
cascade = _jit(model.cascade_propagator)
weights = _jit(model.mean_weights)
membrane = _jit(model.membrane_propagator)
value_and_slope = _jit(model.membrane_and_slope)
crossing_length = _jit(model.crossing_length)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def crossing(V, x, g, L, tau, theta, a0, a1, b0, b1):
    """Scalar ``propagators.crossing_time``: first guess with g at its mean, then bracketed Newton."""
    if V >= theta:
        return 0.0
    w_g, w_x = weights(L, tau, TINY)
    gbar = w_g * g + w_x * x
    s = L
    if (b0 + b1 * gbar) / (a0 + a1 * gbar) > theta:
        s = min(crossing_length(V, gbar, theta, a0, a1, b0, b1), L)
    if x == 0.0 and g == 0.0:                         # no conductance: s is exact
        return s
    lo, hi = 0.0, L
    for _ in range(CROSSING_MAX_ITER):
        value, slope = value_and_slope(V, x, g, s, tau, a0, a1, b0, b1, TINY)
        if value >= theta:
            hi = s
        else:
            lo = s
        proposal = s - (value - theta) / slope
        bad = not (proposal >= lo and proposal <= hi)
        if bad:
            proposal = 0.5 * (lo + hi)
        step = abs(proposal - s)
        s = proposal
        if step <= CROSSING_RTOL * L or (not bad and step <= NEWTON_ACCEPT * L):
            break
    return s


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _advance(j, Vc, xc, gc, clock, stop, rel, h, tau, wg_h, wx_h, a0, a1, b0, b1, start, X1, G1):
    """V at ``stop`` of member j: held until its refractory period ends, then free with g at its mean."""
    st = max(clock, min(rel[j], stop))
    x1, g1 = xc[j], gc[j]
    if st > clock:
        x1, g1 = cascade(x1, g1, st - clock, tau)
    L = stop - st
    if st == 0.0 and L == h:
        w_g, w_x = wg_h, wx_h
    else:
        w_g, w_x = weights(L, tau, TINY)
    start[j], X1[j], G1[j] = st, x1, g1
    return membrane(Vc[j], w_g * g1 + w_x * x1, L, a0, a1, b0, b1)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def rounds(mem, M, k, h, V, x, g, release, last, runaway, P, e_lo, e_hi, tgt_sorted, tperm, ev_off, applied,
           pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s):
    """Advance the component ``mem[:M]`` through step k, event by event; returns a status code.

    ``P`` holds the per-neuron constants (rows in the order of ``ROWS``); ``s`` is scratch space
    (rows Vc, xc, gc, Vend, start, X1, G1, sigma, rel, count, event range).
    """
    tau, theta, v_reset, t_ref, g_star, a0, a1, b0, b1, dec, u_h, wg_h, wx_h = P[0], P[1], P[2], P[3], P[4], P[5], \
        P[6], P[7], P[8], P[9], P[10], P[11], P[12]
    t0 = k * h
    Vc, xc, gc, Vend, start, X1, G1, sigma, rel, cnt, ea, eb = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], \
        s[8], s[9], s[10], s[11]
    for j in range(M):
        i = mem[j]
        Vc[j], xc[j], gc[j], rel[j], cnt[j] = V[i], x[i], g[i], release[i] - t0, 0.0
        ea[j] = e_lo + np.searchsorted(tgt_sorted[e_lo:e_hi], i)
        eb[j] = e_lo + np.searchsorted(tgt_sorted[e_lo:e_hi], i, side="right")
    clock = 0.0
    while True:
        stop = h
        for j in range(M):
            for q in range(int(ea[j]), int(eb[j])):
                e = tperm[q]
                if not applied[e]:
                    stop = min(stop, ev_off[e])
        for j in range(M):
            i = mem[j]
            Vend[j] = _advance(j, Vc, xc, gc, clock, stop, rel, h, tau[i], wg_h[i], wx_h[i], a0[i], a1[i], b0[i],
                               b1[i], start, X1, G1)
        first = np.inf
        for j in range(M):
            i = mem[j]
            sigma[j] = np.inf
            if Vend[j] >= theta[i]:
                sigma[j] = start[j] + crossing(Vc[j], X1[j], G1[j], stop - start[j], tau[i], theta[i], a0[i],
                                               a1[i], b0[i], b1[i])
                first = min(first, sigma[j])
        fired = first < np.inf
        if fired:
            stop = min(stop, first)
            if M > 1:                      # the others of the component stop at its first crossing too
                for j in range(M):
                    i = mem[j]
                    Vend[j] = _advance(j, Vc, xc, gc, clock, stop, rel, h, tau[i], wg_h[i], wx_h[i], a0[i], a1[i],
                                       b0[i], b1[i], start, X1, G1)
        for j in range(M):
            i = mem[j]
            if stop - clock == h:
                xc[j], gc[j] = xc[j] * dec[i], (gc[j] + xc[j] * u_h[i]) * dec[i]
            else:
                xc[j], gc[j] = cascade(xc[j], gc[j], stop - clock, tau[i])
            Vc[j] = Vend[j]
        clock = stop
        if fired:
            t_sp = t0 + clock
            for j in range(M):
                if sigma[j] > first:
                    continue
                i = mem[j]
                Vc[j] = v_reset[i]
                release[i] = t_sp + t_ref[i]
                rel[j] = release[i] - t0
                if t_sp - last[i] < h and np.isnan(runaway[i]):
                    runaway[i] = t_sp
                last[i] = t_sp
                if pos[0] < sp_n.size:
                    sp_n[pos[0]], sp_t[pos[0]] = i, t_sp
                    pos[0] += 1
                else:
                    pos[1] = 1             # lost: the caller runs again with a larger buffer
                cnt[j] += 1.0
                if cnt[j] > limit:
                    pos[2] = i
                    return TOO_MANY
                for e in range(pre_start[i], pre_start[i + 1]):
                    xc[loc[post[e]]] += weight[e]
        for j in range(M):
            for q in range(int(ea[j]), int(eb[j])):
                e = tperm[q]
                if not applied[e] and ev_off[e] <= clock:
                    xc[j] += g_star[mem[j]]
                    applied[e] = True
        if not fired and clock >= h:
            break
    for j in range(M):
        i = mem[j]
        V[i], x[i], g[i] = Vc[j], xc[j], gc[j]
        if (Vc[j] - Vc[j]) != 0.0:
            return NON_FINITE
    return OK


