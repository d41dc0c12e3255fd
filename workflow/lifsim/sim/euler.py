"""Forward Euler for the whole batch: the notebook's method, written as the textbook scheme.

Conventions (they are the same for every integrator of lifsim):

- states are known on the grid t_k = k dt and are right-continuous: the value
  at t_k is the one just after any jump or reset that happens at t_k;
- a presynaptic spike at t_s makes x jump by g_star at the grid point nearest
  to t_s (the step that starts at t_s when t_s is on the grid); a spike of a
  coupled neuron pre[k] makes x of post[k] jump by the edge's weight[k];
- with reset on, a neuron whose V reaches V_thr at t_{k+1} emits a spike at
  t_{k+1}, V := V_reset, and the jump of x in its targets happens at t_{k+1};
  during t_ref after a spike V is held at V_reset.

All derivatives of a step come from the state at its start (t_k), including
I_syn. The notebook computes I_syn after dV/dt, so its dV/dt uses the previous
step's I_syn: a lag of one step, an O(dt) difference that
``tests/test_euler.py`` measures.
"""
from __future__ import annotations

import numpy as np

from .. import model
from .batch import Batch
from .result import Result, collect_spikes, first_bad_step


def derived(name: str, V, x, g, p) -> np.ndarray:
    """A recorded variable from the state (SI units)."""
    if name == "V":
        return V
    if name == "x":
        return x
    if name == "g_syn":
        return g
    if name == "I_m":
        return model.membrane_current(V, p["E_m"], p["R_m"])
    if name == "I_syn":
        return model.synaptic_current(V, g, p["E_syn"], p["g_exc"], p["E_exc"], p["g_inh"], p["E_inh"])
    raise KeyError(name)


def event_steps(b: Batch) -> np.ndarray:
    """Index into ``ext_time`` where each grid step's presynaptic spikes start (length n_steps + 2)."""
    steps = np.rint(b.ext_time / b.dt).astype(np.int64)
    return np.searchsorted(steps, np.arange(b.n_steps + 2))


def apply_external(x, b: Batch, starts, k, g_star) -> None:
    lo, hi = starts[k], starts[k + 1]
    if hi > lo:
        np.add.at(x, b.ext_target[lo:hi], g_star[b.ext_target[lo:hi]])


def run_euler(b: Batch) -> Result:
    n, dt, p = b.n, b.dt, b.p
    V = b.V0.astype(np.float64).copy()
    x = np.zeros(n)
    g = np.zeros(n)
    g_star = np.broadcast_to(np.asarray(p["g_star"], dtype=np.float64), (n,))
    ref_steps = np.rint(np.asarray(p["t_ref"]) / dt).astype(np.int64)
    refractory = np.zeros(n, dtype=np.int64)
    last_spike = np.full(n, -2, dtype=np.int64)
    runaway = np.full(n, np.nan)
    starts = event_steps(b)
    traces = {name: np.empty((b.n_steps + 1, n)) for name in b.record}
    sp_neuron, sp_time = [], []

    apply_external(x, b, starts, 0, g_star)
    for k in range(b.n_steps + 1):
        for name, out in traces.items():
            out[k] = derived(name, V, x, g, p)
        if k == b.n_steps:
            break
        I_syn = model.synaptic_current(V, g, p["E_syn"], p["g_exc"], p["E_exc"], p["g_inh"], p["E_inh"])
        dV = model.dv_dt(V, I_syn, p["E_m"], p["R_m"], p["I_e"], p["tau_m"])
        dx, dg = model.cascade_derivatives(x, g, p["tau_syn"])
        V = V + dt * dV
        x = x + dt * dx
        g = g + dt * dg
        if b.reset:
            held = refractory > 0
            if held.any():
                V[held] = np.broadcast_to(p["V_reset"], (n,))[held]
                refractory[held] -= 1
            spiked = V >= p["V_thr"]
            if spiked.any():
                idx = np.flatnonzero(spiked)
                V[idx] = np.broadcast_to(p["V_reset"], (n,))[idx]
                refractory[idx] = np.broadcast_to(ref_steps, (n,))[idx]
                fresh = idx[(last_spike[idx] == k) & np.isnan(runaway[idx])]
                runaway[fresh] = (k + 1) * dt
                last_spike[idx] = k + 1
                sp_neuron.append(idx)
                sp_time.append(np.full(idx.size, (k + 1) * dt))
                if b.pre.size:
                    hit = spiked[b.pre]
                    np.add.at(x, b.post[hit], b.weight[hit])
        first_bad_step(V, k + 1, dt)
        apply_external(x, b, starts, k + 1, g_star)

    neuron, time = collect_spikes(sp_neuron, sp_time)
    return Result(times=b.times, traces=traces, spike_neuron=neuron, spike_time=time,
                  runaway_onset=runaway, V0=b.V0.copy(), info={"integrator": "euler", "kernel": "numpy", "threads": 1})
