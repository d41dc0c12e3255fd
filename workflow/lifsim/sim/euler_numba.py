"""Forward Euler compiled with Numba: the scheme of ``euler.py``, for large batches.

The NumPy kernel pays ~15 array operations per time step, which dominates
small batches and limits large ones to ~1e8 neuron-steps/s. This kernel fuses
a step into one loop over the neurons of a cache-sized block, without branches
or calls so that the compiler vectorises it (``_hot``): per neuron it reads
V, x, g, the step its refractory period ends, and the constants dt times the
linear coefficients, E_syn, dt / tau_syn, V_thr (numbers when all neurons share
them, see ``jit.shared_or_each``), and writes V, x, g and one byte, the flag of
a neuron that crossed threshold or became non-finite. The rare flagged neurons
are handled in a second pass that skips eight unflagged neurons per load:
reset, refractory period, the spike bookkeeping every sweep needs (count, first
and last spike time, sum and sum of squares of the ISIs, runaway onset),
coupling, and the error on a non-finite V. A neuron held in its refractory
period keeps its V, which is V_reset since its spike. When the neurons are not
coupled and there are several threads, each takes its own blocks for the whole
run; coupled batches run as one block. Spike times are stored only when asked for.

Conventions are those of ``euler.py`` (derivatives from the state at the start
of the step, spikes on the grid, jumps at t_{k+1} after the step). Results
agree with the NumPy kernel to rounding: dV is computed by
``lifsim.model.dv_dt_linear`` with the coefficients times dt (b0 dt - a0 dt V -
a1 dt g (V - E_syn)), an algebra grouped differently from ``model.dv_dt``, with
multiply-adds fused. A neuron's result does not depend on its batch, block or threads.

Starting Numba costs ~0.25 s of CPU per process (see ``lifsim.sim.jit``), so
``lifsim.sim.run`` uses this kernel only where it pays.
"""
from __future__ import annotations

import numpy as np

from .. import model
from .compiled_spikes import by_neuron, summary
from .jit import at, borrow, njit, numba, part, prange, shared_or_each

VARS = {"V": 0, "x": 1, "g_syn": 2}
ROWS = ("a0", "a1", "b0", "E_syn", "a_s", "V_thr", "V_reset", "ref_steps")   # rows of the constants
dv_dt_linear = njit(model.dv_dt_linear, inline="always")


@njit
def _spike(i, k, dt, V, x, ref, C, count, first, last, isi_sum, isi_sq, runaway, pre_start, post, weight,
           sp_neuron, sp_time, pos) -> bool:
    """Neuron i, flagged after step k: reset and bookkeeping of its spike; False if its V is not finite."""
    if not np.isfinite(V[i]):
        return False
    t1 = (k + 1) * dt
    V[i] = C[6, i]
    ref[i] = k + 1 + C[7, i]
    if count[i] > 0:
        isi = t1 - last[i]
        isi_sum[i] += isi
        isi_sq[i] += isi * isi
        if isi < 1.5 * dt and np.isnan(runaway[i]):
            runaway[i] = t1
    else:
        first[i] = t1
    last[i] = t1
    count[i] += 1
    if sp_neuron.size > 0:
        sp_neuron[pos[0]] = i
        sp_time[pos[0]] = t1
        pos[0] += 1
    for e in range(pre_start[i], pre_start[i + 1]):
        x[post[e]] += weight[e]
    return True


@njit(fastmath={"contract"})
def _hot(kf, V, x, g, ref, a0, a1, b0, Es, a_s, thr, flags):
    """One step of a block, without branches or calls; multiply-adds may be fused (``contract``: each rounds
    once instead of twice, so results stay those of the NumPy kernel to rounding)."""
    for i in range(V.size):
        v0, gi, xi = V[i], g[i], x[i]
        v1 = v0 + dv_dt_linear(v0, gi, at(a0, i), at(a1, i), at(b0, i), at(Es, i))
        v1 = v0 if ref[i] > kf else v1
        g[i] = gi + at(a_s, i) * (xi - gi)
        x[i] = xi - at(a_s, i) * xi
        V[i] = v1
        flags[i] = not ((v1 < at(thr, i)) & (v1 > -np.inf))


@njit
def _block(lo, hi, k0, k1, dt, V, x, g, ref, hot, C, count, first, last, isi_sum, isi_sq, runaway, ext_start,
           ext_target, g_star, pre_start, post, weight, trace_vars, traces, sp_neuron, sp_time, pos):
    """Advance neurons lo..hi-1 from step k0 towards k1.

    Returns the step reached: k1 when done; k < k1 when the spike buffer might
    not hold step k's spikes (nothing of step k is done: resume from k with a
    larger buffer); -1 - k when V became non-finite at step k.
    """
    n_trace = trace_vars.size
    m = hi - lo
    flags_owned = np.zeros((m + 7) // 8 * 8, dtype=np.uint8)
    # the arrays of the per-step and per-spike calls, without reference counts (see jit.borrow)
    flags, V, x, g, ref, C, count = borrow(flags_owned), borrow(V), borrow(x), borrow(g), borrow(ref), borrow(C), \
        borrow(count)
    first, last, isi_sum, isi_sq, runaway = borrow(first), borrow(last), borrow(isi_sum), borrow(isi_sq), \
        borrow(runaway)
    pre_start, post, weight = borrow(pre_start), borrow(post), borrow(weight)
    sp_neuron, sp_time, pos = borrow(sp_neuron), borrow(sp_time), borrow(pos)
    words, fl = flags.view(np.uint64), flags[:m]
    # views of this block: the hot loop then indexes from 0, which lets the compiler vectorise it
    Vb, xb, gb, rb = V[lo:hi], x[lo:hi], g[lo:hi], ref[lo:hi]
    a0, a1, b0 = borrow(part(hot[0], lo, hi)), borrow(part(hot[1], lo, hi)), borrow(part(hot[2], lo, hi))
    Es, a_s, thr = borrow(part(hot[3], lo, hi)), borrow(part(hot[4], lo, hi)), borrow(part(hot[5], lo, hi))
    for k in range(k0, k1):
        if sp_neuron.size > 0 and sp_neuron.size - pos[0] < m:
            return k
        if n_trace > 0:
            for v in range(n_trace):
                w = trace_vars[v]
                src = V if w == 0 else (x if w == 1 else g)
                for i in range(lo, hi):
                    traces[v, k, i] = src[i]
        _hot(float(k), Vb, xb, gb, rb, a0, a1, b0, Es, a_s, thr, fl)
        for w in range(words.size):        # the flagged neurons, eight per test
            if words[w] == 0:
                continue
            for j in range(8 * w, min(8 * w + 8, m)):
                if flags[j] and not _spike(lo + j, k, dt, V, x, ref, C, count, first, last, isi_sum, isi_sq,
                                           runaway, pre_start, post, weight, sp_neuron, sp_time, pos):
                    return -1 - (k + 1)
        a, b = ext_start[k + 1], ext_start[k + 2]
        if b > a:
            for e in range(a + np.searchsorted(ext_target[a:b], lo), a + np.searchsorted(ext_target[a:b], hi)):
                x[ext_target[e]] += g_star[ext_target[e]]
    flags_owned[0] = 0                     # keeps the flags' memory alive to here
    return k1


@njit(parallel=True)
def _threads(starts, ends, k_from, k1, dt, V, x, g, ref, hot, C, count, first, last, isi_sum, isi_sq, runaway,
             ext_start, ext_target, g_star, pre_start, post, weight, trace_vars, traces, sp_neuron, sp_time, pos):
    for b in prange(starts.size):
        if 0 <= k_from[b] < k1:
            k_from[b] = _block(starts[b], ends[b], k_from[b], k1, dt, V, x, g, ref, hot, C, count, first, last,
                               isi_sum, isi_sq, runaway, ext_start, ext_target, g_star, pre_start, post, weight,
                               trace_vars, traces, sp_neuron[b], sp_time[b], pos[b])


@njit
def _serial(starts, ends, k_from, k1, dt, V, x, g, ref, hot, C, count, first, last, isi_sum, isi_sq, runaway,
            ext_start, ext_target, g_star, pre_start, post, weight, trace_vars, traces, sp_neuron, sp_time, pos):
    """``_threads`` in this thread: without the start and wait of Numba's thread pool at every call, which
    costs milliseconds when the pool's threads have to be woken on a busy machine."""
    for b in range(starts.size):
        if 0 <= k_from[b] < k1:
            k_from[b] = _block(starts[b], ends[b], k_from[b], k1, dt, V, x, g, ref, hot, C, count, first, last,
                               isi_sum, isi_sq, runaway, ext_start, ext_target, g_star, pre_start, post, weight,
                               trace_vars, traces, sp_neuron[b], sp_time[b], pos[b])


def constants(b) -> np.ndarray:
    """The rows of ``ROWS`` for every neuron: dt times the coefficients of dV/dt (``model.linear_coefficients``),
    E_syn, dt / tau_syn, V_thr (infinite without reset), V_reset and t_ref in steps."""
    n, dt = b.n, b.dt
    p = {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)) for k, v in b.p.items()}
    a0, a1, b0, _ = model.linear_coefficients(p["tau_m"], p["R_m"], p["E_m"], p["I_e"], p["E_syn"], p["g_exc"],
                                              p["E_exc"], p["g_inh"], p["E_inh"])
    rows = {"a0": dt * a0, "a1": dt * a1, "b0": dt * b0, "E_syn": p["E_syn"], "a_s": dt / p["tau_syn"],
            "V_thr": p["V_thr"] if b.reset else np.inf, "V_reset": p["V_reset"], "ref_steps": np.rint(p["t_ref"] / dt)}
    return np.ascontiguousarray(np.stack([np.broadcast_to(rows[r], (n,)) for r in ROWS]))


def run_euler_numba(b, block: int = 1024, spikes: bool = True, progress=None, threads: int | None = None):
    """Forward Euler for a batch (see ``euler.run_euler``) with the compiled kernel.

    ``progress(fraction)`` is called about every tenth of the run; ``threads`` caps Numba's threads.
    """
    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    from .euler import derived, event_steps
    from .result import Result, SimulationError

    n, dt = b.n, b.dt
    C = constants(b)
    hot = shared_or_each({r: C[j] for j, r in enumerate(ROWS[:6])}, each=("b0",))   # the hot loop's rows
    g_star = np.ascontiguousarray(np.broadcast_to(np.asarray(b.p["g_star"], dtype=np.float64), (n,)))
    V = b.V0.astype(np.float64).copy()
    x, g = np.zeros(n), np.zeros(n)
    ref = np.full(n, -1.0)                 # the step a neuron's refractory period ends (held while > k)
    count = np.zeros(n, dtype=np.int64)
    first, last = np.full(n, np.nan), np.full(n, -np.inf)
    isi_sum, isi_sq, runaway = np.zeros(n), np.zeros(n), np.full(n, np.nan)
    ext_start = event_steps(b)
    ext_target = np.ascontiguousarray(b.ext_target, dtype=np.int64)
    np.add.at(x, ext_target[ext_start[0]:ext_start[1]], g_star[ext_target[ext_start[0]:ext_start[1]]])
    order = np.argsort(b.pre, kind="stable")
    pre_start = np.searchsorted(b.pre[order], np.arange(n + 1)).astype(np.int64)
    post = np.ascontiguousarray(b.post[order], dtype=np.int64)
    weight = np.ascontiguousarray(b.weight[order], dtype=np.float64)
    kernel_vars = sorted({"V"} | {v for v in b.record if v in VARS} |
                         ({"g_syn"} if "I_syn" in b.record else set()), key=VARS.get) if b.record else []
    trace_vars = np.array([VARS[v] for v in kernel_vars], dtype=np.int64)
    traces = np.empty((len(kernel_vars), b.n_steps + 1, n)) if kernel_vars else np.empty((0, 0, 0))
    # independent blocks: coupling stays within groups, so whole groups share a block
    size = min(n, max(b.group, block - block % b.group))
    starts = np.arange(0, n, size, dtype=np.int64)
    ends = np.minimum(starts + size, n)
    k_from = np.zeros(starts.size, dtype=np.int64)
    cap = (2 * size + 64) if spikes else 0
    sp_neuron = np.empty((starts.size, cap), dtype=np.int64)
    sp_time = np.empty((starts.size, cap))
    pos = np.zeros((starts.size, 1), dtype=np.int64)
    blocks = _threads if starts.size > 1 and numba.get_num_threads() > 1 else _serial
    checkpoints = sorted({b.n_steps} | ({int(b.n_steps * f / 10) for f in range(1, 10)} if progress else set()))
    stop = checkpoints.pop(0)
    while True:
        blocks(starts, ends, k_from, stop, dt, V, x, g, ref, hot, C, count, first, last, isi_sum, isi_sq, runaway,
                ext_start, ext_target, g_star, pre_start, post, weight, trace_vars, traces, sp_neuron, sp_time, pos)
        if (k_from < 0).any():
            step = int(-1 - k_from[k_from < 0].min())
            raise SimulationError(f"non-finite membrane potential at step {step} (t = {step * dt * 1e3:.6g} ms): "
                                  "the time step is too large for these parameters, or a parameter is out of range")
        if (k_from >= b.n_steps).all():
            break
        if (k_from >= stop).all():
            if progress:
                progress(stop / b.n_steps)
            stop = checkpoints.pop(0)
            continue
        cap *= 2  # some block stopped before a step whose spikes might not fit: grow and resume
        sp_neuron = np.concatenate([sp_neuron, np.empty_like(sp_neuron)], axis=1)
        sp_time = np.concatenate([sp_time, np.empty_like(sp_time)], axis=1)
    for v, name in enumerate(kernel_vars):
        traces[v, -1] = {"V": V, "x": x, "g_syn": g}[name]
    state = {name: traces[v] for v, name in enumerate(kernel_vars)}
    out = {name: state[name] if name in state else
           derived(name, state["V"], None, state.get("g_syn"), {k: b.p[k] for k in b.p}) for name in b.record}
    neuron, time = by_neuron(sp_neuron, sp_time, pos, n)
    return Result(times=b.times, traces=out, spike_neuron=neuron, spike_time=time, runaway_onset=runaway,
                  V0=b.V0.copy(), info={"integrator": "euler", "kernel": "numba",
                                        "threads": min(numba.get_num_threads(), starts.size)},
                  summary=summary(count, first, last, isi_sum, isi_sq))
