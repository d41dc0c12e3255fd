"""Forward Euler compiled with Numba: the scheme of ``euler.py``, for large batches.

The NumPy kernel pays ~15 array operations per time step, which dominates
small batches and limits large ones to ~2e8 neuron-steps/s. This kernel fuses
a step into one loop over neurons, written with selects instead of branches in
the common path so that the compiler can vectorise it. When the neurons are not
coupled each thread takes its own blocks of neurons for the whole run (both
cores for large jobs; a block's state stays in cache); coupled batches run as
one block. The spike bookkeeping every sweep needs (count, first and last spike
time, sum and sum of squares of the ISIs, runaway onset) is accumulated in the
loop, so spike times are stored only when asked for.

Conventions are those of ``euler.py`` (derivatives from the state at the start
of the step, spikes on the grid, jumps at t_{k+1} after the step). Results
agree with the NumPy kernel to rounding: the algebra of dV is grouped
differently (``lifsim.model.dv_dt_linear``: b0 - a0 V - a1 g (V - E_syn)).

Importing Numba costs ~0.4 s and loading the cached machine code ~0.2 s more,
so ``lifsim.sim.run`` uses this kernel only above a batch size.
"""
from __future__ import annotations

import numba
import numpy as np

from .. import model

VARS = {"V": 0, "x": 1, "g_syn": 2}
dv_dt_linear = numba.njit(model.dv_dt_linear, inline="always")


@numba.njit(cache=True, nogil=True)
def _hot(V, x, g, ref, dt, a0, a1, b0, E_syn, a_s, V_thr, V_reset, ref_steps, spk):
    """One Euler step of a block, without branches; returns (spikes, non-finite values)."""
    fired = 0
    bad = 0
    for i in range(V.size):
        v0 = V[i]
        gi = g[i]
        xi = x[i]
        v1 = v0 + dt * dv_dt_linear(v0, gi, a0[i], a1[i], b0[i], E_syn[i])
        g[i] = gi + a_s[i] * (xi - gi)
        x[i] = xi - a_s[i] * xi
        r = ref[i]
        held = r > 0.5
        v1 = V_reset[i] if held else v1
        r = r - 1.0 if held else r
        s = v1 >= V_thr[i]
        V[i] = V_reset[i] if s else v1
        ref[i] = ref_steps[i] if s else r
        spk[i] = s
        fired += s
        bad += (v1 - v1) != 0.0
    return fired, bad


@numba.njit(cache=True, nogil=True)
def _block(lo, hi, k0, k1, dt, V, x, g, ref, a0, a1, b0, E_syn, a_s, V_thr, V_reset, ref_steps, spk,
           count, first, last, isi_sum, isi_sq, runaway, ext_start, ext_target, g_star, pre_start, post, weight,
           trace_vars, trace_every, traces, sp_neuron, sp_time, pos):
    """Advance neurons lo..hi-1 from step k0 towards k1.

    Returns the step reached: k1 when done; k < k1 when the spike buffer might
    not hold step k's spikes (nothing of step k is done: resume from k with a
    larger buffer); -1 - k when V became non-finite at step k.
    """
    n_trace = trace_vars.size
    cap = sp_neuron.size
    record_spikes = cap > 0
    # views of this block: the hot loop then indexes from 0, which lets the compiler vectorise it
    Vb, xb, gb, rb, spkb = V[lo:hi], x[lo:hi], g[lo:hi], ref[lo:hi], spk[lo:hi]
    a0b, a1b, b0b, Eb, ab = a0[lo:hi], a1[lo:hi], b0[lo:hi], E_syn[lo:hi], a_s[lo:hi]
    thb, Vrb, rsb = V_thr[lo:hi], V_reset[lo:hi], ref_steps[lo:hi]
    for k in range(k0, k1):
        if record_spikes and cap - pos[0] < hi - lo:
            return k
        if n_trace > 0 and k % trace_every == 0:
            row = k // trace_every
            for i in range(lo, hi):
                for v in range(n_trace):
                    w = trace_vars[v]
                    traces[v, row, i] = V[i] if w == 0 else (x[i] if w == 1 else g[i])
        fired, bad = _hot(Vb, xb, gb, rb, dt, a0b, a1b, b0b, Eb, ab, thb, Vrb, rsb, spkb)
        if bad > 0:
            return -1 - (k + 1)
        t1 = (k + 1) * dt
        if fired > 0:
            for i in range(lo, hi):
                if spk[i]:
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
                    if record_spikes:
                        sp_neuron[pos[0]] = i
                        sp_time[pos[0]] = t1
                        pos[0] += 1
                    for e in range(pre_start[i], pre_start[i + 1]):
                        x[post[e]] += weight[e]
        a, b = ext_start[k + 1], ext_start[k + 2]
        if b > a:
            for e in range(a + np.searchsorted(ext_target[a:b], lo), a + np.searchsorted(ext_target[a:b], hi)):
                x[ext_target[e]] += g_star[ext_target[e]]
    return k1


@numba.njit(cache=True, parallel=True)
def _blocks(starts, ends, k_from, k1, dt, V, x, g, ref, a0, a1, b0, E_syn, a_s, V_thr, V_reset, ref_steps,
            spk, count, first, last, isi_sum, isi_sq, runaway, ext_start, ext_target, g_star, pre_start, post, weight,
            trace_vars, trace_every, traces, sp_neuron, sp_time, pos):
    for b in numba.prange(starts.size):
        if k_from[b] >= k1 or k_from[b] < 0:
            continue
        k_from[b] = _block(starts[b], ends[b], k_from[b], k1, dt, V, x, g, ref, a0, a1, b0, E_syn, a_s, V_thr,
                           V_reset, ref_steps, spk, count, first, last, isi_sum, isi_sq, runaway, ext_start,
                           ext_target, g_star, pre_start, post, weight, trace_vars, trace_every, traces,
                           sp_neuron[b], sp_time[b], pos[b])


def _full(value, n: int) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))).copy()


def run_euler_numba(b, block: int = 2048, spikes: bool = True, progress=None, threads: int | None = None):
    """Forward Euler for a batch (see ``euler.run_euler``) with the compiled kernel.

    ``progress(fraction)`` is called about every tenth of the run; ``threads`` caps Numba's threads.
    """
    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    from .euler import derived, event_steps
    from .result import Result, SimulationError, collect_spikes

    n, dt = b.n, b.dt
    p = {k: _full(v, n) for k, v in b.p.items()}
    a0, a1, b0, _ = model.linear_coefficients(p["tau_m"], p["R_m"], p["E_m"], p["I_e"], p["E_syn"],
                                              p["g_exc"], p["E_exc"], p["g_inh"], p["E_inh"])
    a_s = dt / p["tau_syn"]
    ref_steps = np.rint(p["t_ref"] / dt)
    V_thr = p["V_thr"] if b.reset else np.full(n, np.inf)
    spk = np.zeros(n, dtype=np.bool_)
    V = b.V0.astype(np.float64).copy()
    x, g = np.zeros(n), np.zeros(n)
    ref = np.zeros(n)
    count = np.zeros(n, dtype=np.int64)
    first, last = np.full(n, np.nan), np.full(n, -np.inf)
    isi_sum, isi_sq, runaway = np.zeros(n), np.zeros(n), np.full(n, np.nan)
    ext_start = event_steps(b)
    ext_target = np.ascontiguousarray(b.ext_target, dtype=np.int64)
    np.add.at(x, ext_target[ext_start[0]:ext_start[1]], p["g_star"][ext_target[ext_start[0]:ext_start[1]]])
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
    checkpoints = sorted({b.n_steps} | ({int(b.n_steps * f / 10) for f in range(1, 10)} if progress else set()))
    stop = checkpoints.pop(0)
    while True:
        _blocks(starts, ends, k_from, stop, dt, V, x, g, ref, a0, a1, b0, p["E_syn"], a_s, V_thr,
                p["V_reset"], ref_steps, spk, count, first, last, isi_sum, isi_sq, runaway, ext_start,
                ext_target, p["g_star"], pre_start, post, weight, trace_vars, 1, traces, sp_neuron, sp_time, pos)
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
    if kernel_vars:
        for v, name in enumerate(kernel_vars):
            traces[v, -1] = {"V": V, "x": x, "g_syn": g}[name]
    state = {name: traces[v] for v, name in enumerate(kernel_vars)}
    out = {name: state[name] if name in state else
           derived(name, state["V"], None, state.get("g_syn"), {k: b.p[k] for k in b.p}) for name in b.record}
    if spikes:
        chunks_n = [sp_neuron[i, :pos[i, 0]] for i in range(starts.size)]
        chunks_t = [sp_time[i, :pos[i, 0]] for i in range(starts.size)]
        neuron, time = collect_spikes(chunks_n, chunks_t)
    else:
        neuron, time = np.zeros(0, dtype=np.int64), np.zeros(0)
    isi_n = np.maximum(count - 1, 1)
    mean_isi = np.where(count >= 2, isi_sum / isi_n, np.nan)
    var = np.where(count >= 3, (isi_sq - isi_sum**2 / isi_n) / np.maximum(count - 2, 1), np.nan)
    summary = {"spike_count": count, "first_spike": first, "last_spike": np.where(count > 0, last, np.nan),
               "mean_isi": mean_isi, "isi_std": np.sqrt(np.maximum(var, 0.0))}
    return Result(times=b.times, traces=out, spike_neuron=neuron, spike_time=time, runaway_onset=runaway,
                  V0=b.V0.copy(), info={"integrator": "euler", "kernel": "numba",
                                        "threads": min(numba.get_num_threads(), starts.size)}, summary=summary)
