"""The ``exact`` integrator compiled with Numba: the method of ``exact.py``, one neuron at a time.

The NumPy kernel pays ~10-50 us of Python per step. Here a step is one loop over
the neurons of a cache-sized block. Without coupling each neuron takes the free
step of ``exact.py`` (g at its exact mean over the step, V by the exact
propagator, x and g by theirs) in a loop without branches, calls or divisions
that the compiler vectorises (``free_step``; constants all neurons share are
numbers, see ``jit.shared_or_each``); a neuron that crosses threshold, leaves its
refractory period or receives a presynaptic spike within the step is flagged and
then processed on its own, event by event (``exact_steps.rounds``, the logic of
``exact._Kernel._rounds`` for a component of one neuron). With coupling every
connected component is processed that way, its neurons together. Uncoupled
batches are split into blocks that run on Numba's threads when there are several.

Results agree with the NumPy kernel to rounding: Numba's ``exp``/``expm1`` may
differ from NumPy's in the last bit, the free step evaluates expm1 by its series
with fused multiply-adds, the crossing solver stops refining each neuron as soon
as that neuron has converged (NumPy's when all have), and simultaneous jumps may
be added in another order. ``tests/test_exact_numba.py`` states the tolerances. A
neuron's result does not depend on the other neurons of its batch, its block or
the number of threads, to the bit.
"""
from __future__ import annotations

import numpy as np

from .compiled_spikes import by_neuron, summary
from .exact_steps import G_STAR, NON_FINITE, OK, ROWS, SCRATCH_ROWS, SERIES_LIMIT, SUMS, VARS, bisect, expm1_over, rounds
from .jit import at, borrow, fma, njit, numba, part, prange, shared_or_each

FREE_ROWS = ("V_thr", "decay_h", "u_h", "w_g_h", "w_x_h", "neg_a0_h", "neg_a1_h", "b0_h", "b1_h")  # the free step's


@njit
def free_step(t0, t1, V, x, g, release, flag, theta, dec, u_h, wg_h, wx_h, na0_h, na1_h, b0_h, b1_h):
    """The free step of a block of neurons from t0 to t1 (arrays of the block), without branches or
    divisions; a neuron with something happening in the step (a crossing, the end of its refractory period,
    a non-finite V, or ``flag`` already set: a presynaptic spike) keeps its state and is flagged, as is one
    whose a h exceeds the series' range.

    V relaxes to V_inf = b / a as in ``model.membrane_propagator``, written without the division as
    V + (b h - a h V) phi(-a h) with phi(z) = expm1(z) / z, and with fused multiply-adds (``jit.fma``: each
    rounds once instead of twice; the results stay those of the NumPy kernel to rounding).
    """
    for i in range(V.size):
        v, xi, gi, r = V[i], x[i], g[i], release[i]
        gbar = fma(at(wg_h, i), gi, at(wx_h, i) * xi)
        z = fma(at(na1_h, i), gbar, at(na0_h, i))                    # -a h
        vn = fma(fma(z, v, fma(at(b1_h, i), gbar, at(b0_h, i))), expm1_over(z), v)
        held = r >= t1
        quiet = (vn < at(theta, i)) & (vn > -np.inf) & (r <= t0) & (z >= -SERIES_LIMIT)
        slow = (not (quiet | held)) | (flag[i] != 0)
        V[i] = v if (slow | held) else vn
        x[i] = xi if slow else xi * at(dec, i)
        g[i] = gi if slow else fma(xi, at(u_h, i), gi) * at(dec, i)
        flag[i] = slow


@njit
def record(k, lo, hi, V, x, g, trace_vars, traces):
    for v in range(trace_vars.size):
        w = trace_vars[v]
        src = V if w == 0 else (x if w == 1 else g)
        for i in range(lo, hi):
            traces[v, k, i] = src[i]


@njit
def run_block(lo, hi, k0, k1, h, V, x, g, release, last, runaway, sums, flag, P, free, ev_starts, tgt_sorted, tperm, ev_off,
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
    s_owned, mem_owned = np.zeros((SCRATCH_ROWS, width)), np.zeros(width, dtype=np.int64)
    # the arrays of the per-step and per-spike calls, without reference counts (see jit.borrow); the
    # arguments are kept alive by the caller, the scratch arrays by their use after the loop
    s, mem, flag, V, x, g = borrow(s_owned), borrow(mem_owned), borrow(flag), borrow(V), borrow(x), borrow(g)
    release, last, runaway, sums, P = borrow(release), borrow(last), borrow(runaway), borrow(sums), borrow(P)
    tgt_sorted, tperm, ev_off, applied = borrow(tgt_sorted), borrow(tperm), borrow(ev_off), borrow(applied)
    pre_start, post, weight, loc = borrow(pre_start), borrow(post), borrow(weight), borrow(loc)
    sp_n, sp_t, pos = borrow(sp_n), borrow(sp_t), borrow(pos)
    words = flag.view(np.uint64)
    need = 2 * (hi - lo) + 64
    # views of the block, made once: the free step then indexes from 0, which lets the compiler vectorise it
    Vb, xb, gb, rb, fb = V[lo:hi], x[lo:hi], g[lo:hi], release[lo:hi], flag[lo:hi]
    theta, dec, u_h = borrow(part(free[0], lo, hi)), borrow(part(free[1], lo, hi)), borrow(part(free[2], lo, hi))
    wg_h, wx_h, na0_h = borrow(part(free[3], lo, hi)), borrow(part(free[4], lo, hi)), borrow(part(free[5], lo, hi))
    na1_h, b0_h, b1_h = borrow(part(free[6], lo, hi)), borrow(part(free[7], lo, hi)), borrow(part(free[8], lo, hi))
    for k in range(k0, k1):
        if sp_n.size > 0 and sp_n.size - pos[0] < need:
            return k
        if trace_vars.size:
            record(k, lo, hi, V, x, g, trace_vars, traces)
        e_lo, e_hi = ev_starts[k + 1], ev_starts[k + 2]
        code = OK
        if coupled:
            for c in range(comp_start.size - 1):
                M = comp_start[c + 1] - comp_start[c]
                for j in range(M):
                    mem[j] = members[comp_start[c] + j]
                code = rounds(mem, M, k, h, V, x, g, release, last, runaway, sums, P, e_lo, e_hi, tgt_sorted, tperm,
                              ev_off, applied, pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s)
                if code != OK:
                    break
        else:
            if e_hi > e_lo:                # neurons with a presynaptic spike in this step
                for q in range(bisect(tgt_sorted, e_lo, e_hi, lo, False), bisect(tgt_sorted, e_lo, e_hi, hi, False)):
                    flag[tgt_sorted[q]] = 1
            free_step(k * h, k * h + h, Vb, xb, gb, rb, fb, theta, dec, u_h, wg_h, wx_h, na0_h, na1_h, b0_h, b1_h)
            for w in range(lo // 8, (hi + 31) // 32 * 4, 4):   # the flagged neurons, 32 per test
                if (words[w] | words[w + 1] | words[w + 2] | words[w + 3]) == 0:
                    continue
                for i in range(8 * w, min(8 * w + 32, hi)):
                    if flag[i] and code == OK:
                        flag[i] = 0
                        mem[0] = i
                        code = rounds(mem, 1, k, h, V, x, g, release, last, runaway, sums, P, e_lo, e_hi, tgt_sorted,
                                      tperm, ev_off, applied, pre_start, post, weight, loc, limit, sp_n, sp_t, pos, s)
        if code != OK:
            status[0], status[1] = code, k + 1
            return k
    s_owned[0, 0], mem_owned[0] = 0.0, 0   # keeps the scratch memory alive to here
    return k1


@njit(parallel=True)
def run_threads(starts, ends, k_from, k1, h, V, x, g, release, last, runaway, sums, flag, P, free, ev_starts,
                tgt_sorted, tperm, ev_off, applied, pre_start, post, weight, loc, comp_start, members, limit,
                trace_vars, traces, sp_n, sp_t, pos, status):
    for b in prange(starts.size):
        if k_from[b] < k1 and status[b, 0] == OK:
            k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, h, V, x, g, release, last, runaway, sums, flag,
                                  P, free, ev_starts, tgt_sorted, tperm, ev_off, applied, pre_start, post, weight,
                                  loc, comp_start, members, limit, trace_vars, traces, sp_n[b], sp_t[b], pos[b],
                                  status[b])


@njit
def run_serial(starts, ends, k_from, k1, h, V, x, g, release, last, runaway, sums, flag, P, free, ev_starts,
               tgt_sorted, tperm, ev_off, applied, pre_start, post, weight, loc, comp_start, members, limit,
               trace_vars, traces, sp_n, sp_t, pos, status):
    """``run_threads`` in this thread (no start and wait of Numba's thread pool: see ``euler_numba._serial``)."""
    for b in range(starts.size):
        if k_from[b] < k1 and status[b, 0] == OK:
            k_from[b] = run_block(starts[b], ends[b], k_from[b], k1, h, V, x, g, release, last, runaway, sums, flag,
                                  P, free, ev_starts, tgt_sorted, tperm, ev_off, applied, pre_start, post, weight,
                                  loc, comp_start, members, limit, trace_vars, traces, sp_n[b], sp_t[b], pos[b],
                                  status[b])


def run_exact_numba(b, block: int = 2048, spikes: bool = True, threads: int | None = None):
    """The ``exact`` integrator (see ``exact.run_exact``) with the compiled kernel; ``spikes=False`` keeps
    only the per-neuron spike statistics (``Result.summary``), not the spike times."""
    from . import exact
    from .euler import derived
    from .exact_prep import constants, events, structure
    from .result import Result, SimulationError

    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    n, h, limit = b.n, b.dt, exact.MAX_SPIKES_PER_STEP
    P = constants(b)
    free = shared_or_each({r: P[ROWS.index(r)] for r in FREE_ROWS}, each=("b0_h",))
    comp_start, members, loc, pre_start, post, weight = structure(b)
    ev_off, ev_tgt, ev_starts, tperm, tgt_sorted = events(b)
    kernel_vars = sorted({"V"} | {v for v in b.record if v in VARS} |
                         ({"g_syn"} if "I_syn" in b.record else set()), key=VARS.get) if b.record else []
    trace_vars = np.array([VARS[v] for v in kernel_vars], dtype=np.int64)
    size = n if comp_start.size else min(n, max(32, block - block % 32))   # blocks start on 4 flag words
    starts = np.arange(0, n, size, dtype=np.int64)
    ends = np.minimum(starts + size, n)
    cap = (2 * size + 64 + 4 * n * max(1, round(b.n_steps * h * 20)) // starts.size) if spikes else 0
    blocks = run_threads if starts.size > 1 and numba.get_num_threads() > 1 else run_serial
    while True:                            # runs again only if a step's spikes overflowed the buffer
        V, x, g = b.V0.astype(np.float64).copy(), np.zeros(n), np.zeros(n)
        first = ev_tgt[: ev_starts[1]]
        np.add.at(x, first, P[G_STAR][first])            # spikes at t = 0
        release, last, runaway = np.full(n, -np.inf), np.full(n, -np.inf), np.full(n, np.nan)
        sums = np.zeros((len(SUMS), n))
        flag = np.zeros((n + 31) // 32 * 32, dtype=np.uint8)       # read 32 at a time
        applied = np.zeros(ev_off.size, dtype=np.bool_)
        traces = np.empty((len(kernel_vars), b.n_steps + 1, n)) if kernel_vars else np.empty((0, 0, 0))
        k_from = np.zeros(starts.size, dtype=np.int64)
        status = np.zeros((starts.size, 2), dtype=np.int64)
        pos = np.zeros((starts.size, 3), dtype=np.int64)
        sp_n, sp_t = np.empty((starts.size, cap), dtype=np.int64), np.empty((starts.size, cap))
        while True:
            blocks(starts, ends, k_from, b.n_steps, h, V, x, g, release, last, runaway, sums, flag, P, free, ev_starts,
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
    neuron, time = by_neuron(sp_n, sp_t, pos, n)
    return Result(times=b.times, traces=out, spike_neuron=neuron, spike_time=time, runaway_onset=runaway,
                  V0=b.V0.copy(), info={"integrator": "exact", "kernel": "numba",
                                        "threads": min(numba.get_num_threads(), starts.size)},
                  summary=None if spikes else summary(sums[0], sums[1], last, sums[2], sums[3]))
