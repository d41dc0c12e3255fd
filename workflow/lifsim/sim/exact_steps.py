"""Compiled pieces of the ``exact`` integrator (see ``exact_numba``): the crossing solver and the step of one
connected component, event by event, as ``exact._Kernel._rounds`` does it.

The equations come from :mod:`lifsim.model`, compiled here with ``numba.njit``. The per-neuron constants
``P`` and the scratch space ``s`` are 2-D arrays indexed by (row, neuron) directly: a view of a row would
cost Numba two atomic reference counts, which in this per-spike code outweigh the arithmetic.
"""
from __future__ import annotations

import numpy as np

from .. import model
from .jit import fma, njit
from .propagators import CROSSING_MAX_ITER, CROSSING_RTOL, NEWTON_ACCEPT, TINY

VARS = {"V": 0, "x": 1, "g_syn": 2}
ROWS = ("tau_syn", "V_thr", "V_reset", "t_ref", "g_star", "a0", "a1", "b0", "b1", "decay_h", "u_h", "w_g_h", "w_x_h",
        "neg_a0_h", "neg_a1_h", "b0_h", "b1_h")
TAU, THETA, V_RESET, T_REF, G_STAR, A0, A1, B0, B1, DEC, U_H, WG_H, WX_H = range(13)
# rows of the scratch space: the component's state, its advance, crossing, refractory clock, spikes, events
VC, XC, GC, VEND, START, X1, G1, SIGMA, REL, CNT, EA, EB = range(12)
SCRATCH_ROWS = 12
SUMS = ("spike_count", "first_spike", "isi_sum", "isi_sq")   # rows of the spike statistics
COUNT, FIRST, ISI_SUM, ISI_SQ = range(4)
OK, NON_FINITE, TOO_MANY = 0, 1, 2

SERIES_LIMIT = 1 / 16        # a h up to which expm1(-a h) is evaluated by its series (expm1_over)
C1, C2, C3, C4, C5, C6, C7, C8 = (1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880)

_inline = njit(inline="always")
cascade = _inline(model.cascade_propagator)
rate_and_rest = _inline(model.rate_and_rest)
relaxed = _inline(model.relaxed)
weights = _inline(model.mean_weights)
membrane = _inline(model.membrane_propagator)
value_and_slope = _inline(model.membrane_and_slope)
crossing_length = _inline(model.crossing_length)


@_inline
def expm1_over(z):
    """expm1(z) / z for |z| <= SERIES_LIMIT by its Taylor series to z^8 (truncation below 2e-18 relative), in
    a form the compiler can vectorise (the library's expm1 is a call per element)."""
    p = fma(z, C8, C7)
    for c in (C6, C5, C4, C3, C2, C1, 1.0):       # Horner's scheme, one rounding per term
        p = fma(z, p, c)
    return p


@_inline
def bisect(a, lo, hi, value, right):
    """``lo + np.searchsorted(a[lo:hi], value, side)`` without making a view."""
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < value or (right and a[mid] == value):
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit
def crossing(V, x, g, L, tau, theta, a0, a1, b0, b1, w_g, w_x):
    """Scalar ``propagators.crossing_time`` (``w_g``, ``w_x``: the mean weights over L): first guess with g
    at its mean, then bracketed Newton."""
    if V >= theta:
        return 0.0
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


@_inline
def advance(j, i, s, clock, stop, h, P):
    """V at ``stop`` of member j (neuron i): held until its refractory period ends, then free with g at its
    mean; its start, x and g there go to the scratch rows START, X1, G1."""
    tau = P[TAU, i]
    st = max(clock, min(s[REL, j], stop))
    x1, g1 = s[XC, j], s[GC, j]
    if st > clock:
        x1, g1 = cascade(x1, g1, st - clock, tau)
    L = stop - st
    s[START, j], s[X1, j], s[G1, j] = st, x1, g1
    if st == 0.0 and L == h:               # the whole step, as the free step takes it
        a, v_inf = rate_and_rest(P[WG_H, i] * g1 + P[WX_H, i] * x1, P[A0, i], P[A1, i], P[B0, i], P[B1, i])
        if a * h <= SERIES_LIMIT:
            return relaxed(s[VC, j], v_inf, -a * h * expm1_over(-a * h))
        return relaxed(s[VC, j], v_inf, np.expm1(-a * h))
    w_g, w_x = weights(L, tau, TINY)
    return membrane(s[VC, j], w_g * g1 + w_x * x1, L, P[A0, i], P[A1, i], P[B0, i], P[B1, i])


@_inline
def first_crossing(j, i, s, stop, h, P):
    """When member j crosses threshold before ``stop`` (its advance is in the scratch rows)."""
    st, tau = s[START, j], P[TAU, i]
    L = stop - st
    if st == 0.0 and L == h:
        w_g, w_x = P[WG_H, i], P[WX_H, i]
    else:
        w_g, w_x = weights(L, tau, TINY)
    return st + crossing(s[VC, j], s[X1, j], s[G1, j], L, tau, P[THETA, i], P[A0, i], P[A1, i], P[B0, i],
                         P[B1, i], w_g, w_x)


@njit
def rounds(mem, M, k, h, V, x, g, release, last, runaway, sums, P, e_lo, e_hi, tgt_sorted, tperm, ev_off, applied,
           pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s):
    """Advance the component ``mem[:M]`` through step k, event by event; returns a status code.

    ``P`` holds the per-neuron constants (rows in the order of ``ROWS``); ``s`` is scratch space (rows
    ``VC`` .. ``EB``, a column per member); ``sums`` the spike statistics (rows ``SUMS``). Spikes are stored
    in ``sp_n``, ``sp_t`` unless these are empty.
    """
    t0 = k * h
    for j in range(M):
        i = mem[j]
        s[VC, j], s[XC, j], s[GC, j], s[REL, j], s[CNT, j] = V[i], x[i], g[i], release[i] - t0, 0.0
        s[EA, j] = bisect(tgt_sorted, e_lo, e_hi, i, False)
        s[EB, j] = bisect(tgt_sorted, e_lo, e_hi, i, True)
    clock = 0.0
    while True:
        stop = h
        for j in range(M):
            for q in range(int(s[EA, j]), int(s[EB, j])):
                e = tperm[q]
                if not applied[e]:
                    stop = min(stop, ev_off[e])
        for j in range(M):
            s[VEND, j] = advance(j, mem[j], s, clock, stop, h, P)
        first = np.inf
        for j in range(M):
            i = mem[j]
            s[SIGMA, j] = np.inf
            if s[VEND, j] >= P[THETA, i]:
                s[SIGMA, j] = first_crossing(j, i, s, stop, h, P)
                first = min(first, s[SIGMA, j])
        fired = first < np.inf
        if fired:
            stop = min(stop, first)
            if M > 1:                      # the others of the component stop at its first crossing too
                for j in range(M):
                    s[VEND, j] = advance(j, mem[j], s, clock, stop, h, P)
        for j in range(M):
            i = mem[j]
            if stop - clock == h:
                s[XC, j], s[GC, j] = s[XC, j] * P[DEC, i], (s[GC, j] + s[XC, j] * P[U_H, i]) * P[DEC, i]
            else:
                s[XC, j], s[GC, j] = cascade(s[XC, j], s[GC, j], stop - clock, P[TAU, i])
            s[VC, j] = s[VEND, j]
        clock = stop
        if fired:
            t_sp = t0 + clock
            for j in range(M):
                if s[SIGMA, j] > first:
                    continue
                i = mem[j]
                s[VC, j] = P[V_RESET, i]
                release[i] = t_sp + P[T_REF, i]
                s[REL, j] = release[i] - t0
                if t_sp - last[i] < h and np.isnan(runaway[i]):
                    runaway[i] = t_sp
                if sums[COUNT, i] > 0:
                    isi = t_sp - last[i]
                    sums[ISI_SUM, i] += isi
                    sums[ISI_SQ, i] += isi * isi
                else:
                    sums[FIRST, i] = t_sp
                sums[COUNT, i] += 1.0
                last[i] = t_sp
                if pos[0] < sp_n.size:
                    sp_n[pos[0]], sp_t[pos[0]] = i, t_sp
                    pos[0] += 1
                elif sp_n.size > 0:
                    pos[1] = 1             # lost: the caller runs again with a larger buffer
                s[CNT, j] += 1.0
                if s[CNT, j] > limit:
                    pos[2] = i
                    return TOO_MANY
                for e in range(pre_start[i], pre_start[i + 1]):
                    s[XC, loc[post[e]]] += weight[e]
        for j in range(M):
            for q in range(int(s[EA, j]), int(s[EB, j])):
                e = tperm[q]
                if not applied[e] and ev_off[e] <= clock:
                    s[XC, j] += P[G_STAR, mem[j]]
                    applied[e] = True
        if not fired and clock >= h:
            break
    for j in range(M):
        i = mem[j]
        V[i], x[i], g[i] = s[VC, j], s[XC, j], s[GC, j]
        if (s[VC, j] - s[VC, j]) != 0.0:
            return NON_FINITE
    return OK
