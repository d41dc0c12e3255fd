"""An independent high-accuracy reference: SciPy's ``solve_ivp`` with threshold events.

It shares no numerical method with lifsim's integrators, only the equations
(:mod:`lifsim.model`, in ms, mV and nS here): x, g and V are all integrated
numerically (DOP853, an 8th-order Runge-Kutta method with 7th-order dense
output) with tight tolerances, and each threshold crossing is located by the
solver's event detection (a root of V - V_thr on the dense output). At an event
the solver stops, the reset is applied (V := V_reset, held for t_ref, x of the
neuron's targets jumps by g_star) and a new solve starts from there. External
presynaptic spikes and ends of refractory periods are breakpoints where the
solve also restarts, so the right-hand side is smooth within every solve.

It takes the same :class:`~lifsim.sim.Batch` as the integrators (the batch's dt
only sets the times at which traces are returned) and returns a
:class:`~lifsim.sim.Result`. It is meant for a few neurons (one neuron, the
coupled pair): it restarts at every spike and is not vectorised over neurons.
"""
from __future__ import annotations

import numpy as np

from . import model
from .sim.batch import Batch
from .sim.result import Result, collect_spikes

# Integration in ms, mV and nS keeps every state component of order 1-100.
MS, MV, NS = 1e-3, 1e-3, 1e-9
RTOL = 1e-10
ATOL = 1e-12        # mV and nS


def _array(value, n: int) -> np.ndarray:
    return np.array(np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)))


def _rhs(p: dict, n: int, held: np.ndarray):
    """d(V, x, g)/dt in mV/ms and nS/ms; V of the neurons in ``held`` is constant (refractory)."""
    tau_m, R_m, tau_syn = p["tau_m"] / MS, p["R_m"] * NS, p["tau_syn"] / MS    # ms, 1/nS, ms
    E_m, E_syn, E_exc, E_inh = (p[k] / MV for k in ("E_m", "E_syn", "E_exc", "E_inh"))
    g_exc, g_inh = p["g_exc"] / NS, p["g_inh"] / NS
    I_e = p["I_e"] / NS / MV                                                   # nS mV

    def rhs(t, y):
        V, x, g = y[:n], y[n:2 * n], y[2 * n:]
        I_syn = model.synaptic_current(V, g, E_syn, g_exc, E_exc, g_inh, E_inh)  # nS mV
        dV = model.dv_dt(V, I_syn, E_m, R_m, I_e, tau_m)
        dV[held] = 0.0
        return np.concatenate([dV, *model.cascade_derivatives(x, g, tau_syn)])
    return rhs


def _threshold_event(i: int, theta: float):
    def event(t, y):
        return y[i] - theta
    event.terminal = True
    event.direction = 1.0
    return event


def solve_reference(b: Batch, rtol: float = RTOL, atol: float = ATOL) -> Result:
    """Spike times and the traces ``V``, ``x``, ``g_syn`` at the batch's grid times (SI units)."""
    from scipy.integrate import solve_ivp

    n = b.n
    p = {k: _array(v, n) for k, v in b.p.items()}
    theta, v_reset = p["V_thr"] / MV, p["V_reset"] / MV
    t_ref, g_star = p["t_ref"] / MS, p["g_star"] / NS
    grid = b.times / MS
    T = grid[-1]
    ext_t, ext_i = b.ext_time / MS, b.ext_target
    y = np.concatenate([b.V0 / MV, np.zeros(2 * n)])
    release = np.full(n, -np.inf)
    out = np.full((grid.size, 3 * n), np.nan)
    spk_n, spk_t = [], []
    t = 0.0
    while True:
        due = np.abs(ext_t - t) <= 1e-9 * max(1.0, T)                          # external spikes now
        np.add.at(y, n + ext_i[due], g_star[ext_i[due]])
        ext_t, ext_i = ext_t[~due], ext_i[~due]
        if t >= T:
            break
        held = release > t
        breaks = np.concatenate([ext_t[ext_t > t], release[held], [T]])
        t_end = float(breaks.min())
        free = np.flatnonzero(~held) if b.reset else np.zeros(0, dtype=np.int64)
        events = [_threshold_event(i, theta[i]) for i in free]
        sol = solve_ivp(_rhs(p, n, held), (t, t_end), y, method="DOP853", rtol=rtol, atol=atol,
                        events=events or None, dense_output=True)
        if not sol.success:
            raise RuntimeError(f"reference solve failed at t = {t} ms: {sol.message}")
        if sol.status == 1:                                                     # a threshold crossing
            hits = [(te[0], free[j]) for j, te in enumerate(sol.t_events) if te.size]
            t_hit = min(h for h, _ in hits)
            fired = np.array([i for h, i in hits if h == t_hit])
            y_new = sol.sol(t_hit)
        else:
            t_hit, fired, y_new = t_end, np.zeros(0, dtype=np.int64), sol.y[:, -1].copy()
        inside = (grid >= t) & (grid < t_hit)
        if inside.any():
            out[inside] = sol.sol(grid[inside]).T
        t, y = t_hit, y_new
        if fired.size:
            y[fired] = v_reset[fired]
            release[fired] = t + t_ref[fired]
            spk_n.append(fired)
            spk_t.append(np.full(fired.size, t * MS))
            for i in fired:
                out_edges = b.pre == i
                np.add.at(y, n + b.post[out_edges], b.weight[out_edges] / NS)
    out[-1] = y
    neuron, time = collect_spikes(spk_n, spk_t)
    scale = {"V": (slice(0, n), MV), "x": (slice(n, 2 * n), NS), "g_syn": (slice(2 * n, 3 * n), NS)}
    traces = {name: out[:, cols] * unit for name, (cols, unit) in scale.items()}
    return Result(times=b.times, traces=traces, spike_neuron=neuron, spike_time=time,
                  runaway_onset=np.full(n, np.nan), V0=b.V0.copy(), info={"integrator": "reference"})
