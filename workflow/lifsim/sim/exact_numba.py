"""The ``exact`` integrator compiled with Numba: the method of ``exact.py``, one neuron at a time.

The NumPy kernel pays ~50 us of Python per step. Here a step is one loop over
the neurons. Without coupling each neuron takes the free step of ``exact.py``
(g at its exact mean over the step, V by the exact propagator, x and g by
theirs) in a branch-free loop; a neuron that crosses threshold, leaves its
refractory period or receives a presynaptic spike within the step is then
processed on its own, event by event (``exact_steps.rounds``, the logic of
``exact._Kernel._rounds`` for a component of one neuron). With coupling every
connected component is processed that way, its neurons together. Uncoupled
batches are split into blocks that run on Numba's threads.

Results agree with the NumPy kernel to rounding: Numba's ``exp``/``expm1`` may
differ from NumPy's in the last bit, the crossing solver stops refining each
neuron as soon as that neuron has converged (NumPy's when all have), and
simultaneous jumps may be added in another order. ``tests/test_exact_numba.py``
states the tolerances.
"""
from __future__ import annotations

import numba
import numpy as np

from .. import model
from .exact_steps import NON_FINITE, OK, ROWS, VARS, rounds

SERIES_LIMIT = 1 / 16        # |a h| up to which the free step uses expm1_series
_jit = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
rate_and_rest = _jit(model.rate_and_rest)
relaxed = _jit(model.relaxed)


@_jit
def expm1_series(z):
    """expm1(z) for |z| <= SERIES_LIMIT by its Taylor series to z^9 (truncation below 4e-18 relative), in a
    form the compiler can vectorise (the library's expm1 is a call per element)."""
    return z * (1.0 + z * (1 / 2 + z * (1 / 6 + z * (1 / 24 + z * (1 / 120 + z * (1 / 720 + z * (
        1 / 5040 + z * (1 / 40320 + z / 362880))))))))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def free_step(lo, hi, k, h, V, x, g, release, P, flag):
    """The free step of every neuron lo..hi-1 (branch-free); a neuron with something happening in the step
    (a crossing, the end of its refractory period, or ``flag`` already set: a presynaptic spike) keeps its
    state and is flagged, as is one whose a h exceeds the series' range. Returns (flagged, non-finite)."""
    # views of the block: the loop then indexes from 0, which lets the compiler vectorise it
    theta, a0, a1, b0, b1 = P[1][lo:hi], P[5][lo:hi], P[6][lo:hi], P[7][lo:hi], P[8][lo:hi]
    dec, u_h, wg_h, wx_h = P[9][lo:hi], P[10][lo:hi], P[11][lo:hi], P[12][lo:hi]
    Vb, xb, gb, rb, fb = V[lo:hi], x[lo:hi], g[lo:hi], release[lo:hi], flag[lo:hi]
    t0 = k * h
    t1 = t0 + h
    n_slow = 0
    bad = 0
    for i in range(Vb.size):
        v, xi, gi, r = Vb[i], xb[i], gb[i], rb[i]
        a, v_inf = rate_and_rest(wg_h[i] * gi + wx_h[i] * xi, a0[i], a1[i], b0[i], b1[i])
        z = -a * h
        vn = relaxed(v, v_inf, expm1_series(z))
        held = r >= t1
        slow = ((vn >= theta[i]) | (r > t0) | (z < -SERIES_LIMIT)) & (r < t1) | fb[i]
        vn = v if held else vn
        Vb[i] = v if slow else vn
        xb[i] = xi if slow else xi * dec[i]
        gb[i] = gi if slow else (gi + xi * u_h[i]) * dec[i]
        fb[i] = slow
        n_slow += slow
        bad += (vn - vn) != 0.0
    return n_slow, bad


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _record(k, lo, hi, V, x, g, trace_vars, traces):
    for v in range(trace_vars.size):
        w = trace_vars[v]
        src = V if w == 0 else (x if w == 1 else g)
        for i in range(lo, hi):
            traces[v, k, i] = src[i]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_block(lo, hi, k0, k1, h, V, x, g, release, last, runaway, flag, P, ev_starts, tgt_sorted, tperm, ev_off,
              applied, pre_start, post, weight, loc, comp_start, members, limit, trace_vars, traces, sp_n, sp_t,
              pos, status):
    """Advance neurons lo..hi-1 (uncoupled: ``comp_start`` empty) or the components whose members are
    ``members[comp_start[c]:comp_start[c + 1]]`` (all of them) from step k0 towards k1.

    Returns the step reached; ``status`` = (code, step) when a step failed (``NON_FINITE``, ``TOO_MANY``).
    A return below k1 with status OK means the spike buffer might not hold the next step's spikes.
    """
    coupled = comp_start.size > 0
    width = 1
    if coupled:
        for c in range(comp_start.size - 1):
            width = max(width, comp_start[c + 1] - comp_start[c])
    s = np.zeros((12, width))
    mem = np.zeros(1, dtype=np.int64)
    need = 2 * (hi - lo) + 64
    for k in range(k0, k1):
        if sp_n.size - pos[0] < need:
            return k
        if trace_vars.size:
            _record(k, lo, hi, V, x, g, trace_vars, traces)
        e_lo, e_hi = ev_starts[k + 1], ev_starts[k + 2]
        code = OK
        if coupled:
            for c in range(comp_start.size - 1):
                a, b = comp_start[c], comp_start[c + 1]
                code = rounds(members[a:b], b - a, k, h, V, x, g, release, last, runaway, P, e_lo, e_hi,
                              tgt_sorted, tperm, ev_off, applied, pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s)
                if code != OK:
                    break
        else:
            if e_hi > e_lo:                # neurons with a presynaptic spike in this step
                seg = tgt_sorted[e_lo:e_hi]
                for q in range(e_lo + np.searchsorted(seg, lo), e_lo + np.searchsorted(seg, hi)):
                    flag[tgt_sorted[q]] = True
            n_slow, bad = free_step(lo, hi, k, h, V, x, g, release, P, flag)
            if bad:
                code = NON_FINITE
            for i in range(lo, hi):
                if code != OK or n_slow == 0:
                    break
                if flag[i]:
                    flag[i] = False
                    n_slow -= 1
                    mem[0] = i
                    code = rounds(mem, 1, k, h, V, x, g, release, last, runaway, P, e_lo, e_hi, tgt_sorted, tperm,
                                  ev_off, applied, pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s)
        if code != OK:
            status[0], status[1] = code, k + 1
            return k
    return k1


@numba.njit(cache=True, parallel=True, error_model="numpy")
def run_blocks(starts, ends, k_from, k1, h, V, x, g, release, last, runaway, flag, P, ev_starts, tgt_sorted, tperm,
               ev_off, applied, pre_start, post, weight, loc, comp_start, members, limit, trace_vars, traces, sp_n,
               sp_t, pos, status):
    for b in numba.prange(starts.size):
        if k_from[b] >= k1 or status[b, 0] != OK:
            continue
        k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, h, V, x, g, release, last, runaway, flag, P,
                              ev_starts, tgt_sorted, tperm, ev_off, applied, pre_start, post, weight, loc,
                              comp_start, members, limit, trace_vars, traces, sp_n[b], sp_t[b], pos[b], status[b])


def _constants(b) -> np.ndarray:
    """The rows of ``ROWS`` for every neuron (the same values the NumPy kernel computes)."""
    from .propagators import coefficients, mean_weights

    n, h = b.n, b.dt
    full = {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)) for k, v in b.p.items()}
    c = coefficients(full)
    tau = full["tau_syn"]
    w_g, w_x = mean_weights(h, tau)
    rows = {**full, **c, "decay_h": np.exp(-h / tau), "u_h": h / tau, "w_g_h": w_g, "w_x_h": w_x}
    return np.ascontiguousarray(np.stack([np.broadcast_to(rows[r], (n,)) for r in ROWS]))


def _structure(b):
    """Components (members sorted by label, their starts, each neuron's index in it) and edges by pre."""
    from .schedule import components

    n = b.n
    order = np.argsort(b.pre, kind="stable")
    pre_start = np.searchsorted(b.pre[order], np.arange(n + 1)).astype(np.int64)
    post = np.ascontiguousarray(b.post[order], dtype=np.int64)
    weight = np.ascontiguousarray(b.weight[order], dtype=np.float64)
    if not b.pre.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, pre_start, post, weight
    label = components(n, b.pre, b.post)
    members = np.argsort(label, kind="stable").astype(np.int64)
    comp_start = np.flatnonzero(np.r_[True, np.diff(label[members]) != 0, True]).astype(np.int64)
    loc = np.empty(n, dtype=np.int64)
    loc[members] = np.arange(n) - np.repeat(comp_start[:-1], np.diff(comp_start))
    return comp_start, members, loc, pre_start, post, weight


def run_exact_numba(b, block: int = 2048, threads: int | None = None):
    """The ``exact`` integrator (see ``exact.run_exact``) with the compiled kernel."""
    from . import exact
    from .euler import derived
    from .result import Result, SimulationError, collect_spikes
    from .schedule import event_schedule

    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    n, h, limit = b.n, b.dt, exact.MAX_SPIKES_PER_STEP
    P = _constants(b)
    comp_start, members, loc, pre_start, post, weight = _structure(b)
    _, ev_off, ev_tgt, ev_starts = event_schedule(b)
    tperm = np.lexsort((ev_off, ev_tgt, np.repeat(np.arange(ev_starts.size - 1), np.diff(ev_starts))))
    tperm = tperm.astype(np.int64)
    tgt_sorted = np.ascontiguousarray(ev_tgt[tperm], dtype=np.int64)
    kernel_vars = sorted({"V"} | {v for v in b.record if v in VARS} |
                         ({"g_syn"} if "I_syn" in b.record else set()), key=VARS.get) if b.record else []
    trace_vars = np.array([VARS[v] for v in kernel_vars], dtype=np.int64)
    size = n if comp_start.size else min(n, block)
    starts = np.arange(0, n, size, dtype=np.int64)
    ends = np.minimum(starts + size, n)
    cap = 2 * size + 64 + 4 * n * max(1, round(b.n_steps * h * 20)) // starts.size
    while True:                            # runs again only if a step's spikes overflowed the buffer
        V, x, g = b.V0.astype(np.float64).copy(), np.zeros(n), np.zeros(n)
        first = ev_tgt[: ev_starts[1]]
        np.add.at(x, first, P[ROWS.index("g_star")][first])            # spikes at t = 0
        release, last, runaway = np.full(n, -np.inf), np.full(n, -np.inf), np.full(n, np.nan)
        flag, applied = np.zeros(n, dtype=np.bool_), np.zeros(ev_off.size, dtype=np.bool_)
        traces = np.empty((len(kernel_vars), b.n_steps + 1, n)) if kernel_vars else np.empty((0, 0, 0))
        k_from = np.zeros(starts.size, dtype=np.int64)
        status = np.zeros((starts.size, 2), dtype=np.int64)
        pos = np.zeros((starts.size, 3), dtype=np.int64)
        sp_n, sp_t = np.empty((starts.size, cap), dtype=np.int64), np.empty((starts.size, cap))
        while True:
            run_blocks(starts, ends, k_from, b.n_steps, h, V, x, g, release, last, runaway, flag, P, ev_starts,
                       tgt_sorted, tperm, ev_off, applied, pre_start, post, weight, loc, comp_start, members,
                       limit, trace_vars, traces, sp_n, sp_t, pos, status)
            if (status[:, 0] != OK).any() or (k_from >= b.n_steps).all():
                break
            cap *= 2                       # a block stopped before a step whose spikes might not fit
            sp_n = np.concatenate([sp_n, np.empty_like(sp_n)], axis=1)
            sp_t = np.concatenate([sp_t, np.empty_like(sp_t)], axis=1)
        if not pos[:, 1].any():
            break
        cap *= 4
    bad = np.flatnonzero(status[:, 0] != OK)
    if bad.size:
        code, step = status[bad[0]]
        if code == NON_FINITE:
            raise SimulationError(f"non-finite membrane potential at step {step} (t = {step * h * 1e3:.6g} ms): "
                                  "the time step is too large for these parameters, or a parameter is out of range")
        raise SimulationError(
            f"neuron(s) [{pos[bad[0], 2]}] fired more than {limit} times within one time step ending at t = "
            f"{step * h * 1e3:.6g} ms: inter-spike intervals have shrunk below dt / {limit} (a runaway, e.g. "
            "excitatory coupling without refractory period); no fixed-step result is meaningful there. "
            "Set t_ref > 0 or shorten the run.")
    for v, name in enumerate(kernel_vars):
        traces[v, -1] = {"V": V, "x": x, "g_syn": g}[name]
    state = {name: traces[v] for v, name in enumerate(kernel_vars)}
    out = {name: state[name] if name in state else derived(name, state["V"], None, state.get("g_syn"), b.p)
           for name in b.record}
    neuron, time = collect_spikes([sp_n[i, :pos[i, 0]] for i in range(starts.size)],
                                  [sp_t[i, :pos[i, 0]] for i in range(starts.size)])
    return Result(times=b.times, traces=out, spike_neuron=neuron, spike_time=time, runaway_onset=runaway,
                  V0=b.V0.copy(), info={"integrator": "exact", "kernel": "numba",
                                        "threads": min(numba.get_num_threads(), starts.size)})
