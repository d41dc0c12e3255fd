"""The ``exact`` integrator: exact propagators, precise spike times, events at their own times.

Same conventions as ``lifsim.sim.euler`` (states on the grid t_k = k dt,
right-continuous), except where the grid limited Euler:

- x and g are advanced by their exact propagator (they are linear with constant
  coefficients): x(t+s) = x e^{-s/tau_syn}, g(t+s) = (g + x s/tau_syn) e^{-s/tau_syn}.
- V obeys the linear equation dV/dt = -a(g) V + b(g) (``lifsim.sim.propagators``).
  Over an interval [t, t+s] it is advanced by the exact solution of that
  equation with g held at its exact mean over the interval (computed in closed
  form from x and g). Order: exact (to rounding) whenever g is constant, as on
  the f-I curve or with tonic conductances only. Otherwise the integral of a(g)
  over the interval is still exact (so is the decay factor e^{-int a}); only
  the forcing term sees g replaced by its mean. The deviation g - mean has zero
  mean over the interval, so its first-order effect on V(t+s) is the integral
  of a smooth weight times a zero-mean linear function: O(s^3) per step, which
  makes the method second order (global error O(dt^2)), against Euler's first
  order. ``tests/test_exact.py`` and the convergence experiment measure it.
- Spike times are not on the grid: the crossing of V_thr inside a step is
  solved from the same solution (g averaged over [start, crossing], refined to
  a fixed point), V is reset there, held at V_reset for t_ref (which may end
  mid-step), and the rest of the step is integrated from there. A neuron can
  fire several times within one step.
- A presynaptic spike makes x jump at its own time, external (by g_star) or
  from a coupled neuron (by the edge's weight); the step is then processed in rounds: each connected component of the
  coupling graph advances to its earliest event (a crossing or an external
  spike), applies it, and goes on. Independent neurons stay vectorised, and
  neurons with nothing happening in a step take one vectorised full step.

``runaway_onset`` is the first spike that follows the previous spike of the
same neuron by less than dt. More than ``MAX_SPIKES_PER_STEP`` spikes of one
neuron within one step raise :class:`SimulationError` (the excitatory pair
without refractory period runs away to ever shorter intervals).
"""
from __future__ import annotations

import numpy as np

from .batch import Batch
from .euler import derived
from .propagators import coefficients, crossing_time, mean_g, mean_weights, membrane, synapse
from .result import Result, SimulationError, collect_spikes, first_bad_step
from .schedule import components, event_schedule

MAX_SPIKES_PER_STEP = 64


class _Kernel:
    def __init__(self, b: Batch):
        n, h = b.n, b.dt
        full = lambda v: np.array(np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)))  # noqa: E731
        self.b, self.n, self.h = b, n, h
        self.tau = full(b.p["tau_syn"])
        self.theta = full(b.p["V_thr"])
        self.v_reset = full(b.p["V_reset"])
        self.t_ref = full(b.p["t_ref"])
        self.g_star = full(b.p["g_star"])
        self.c = {k: full(v) for k, v in coefficients(b.p).items()}
        self.has_ref = bool(np.any(self.t_ref > 0))
        self.comp = components(n, b.pre, b.post)
        self.coupled = b.pre.size > 0
        self.decay_h = np.exp(-h / self.tau)
        self.u_h = h / self.tau
        self.w_g_h, self.w_x_h = mean_weights(h, self.tau)
        self.V = b.V0.astype(np.float64).copy()
        self.x = np.zeros(n)
        self.g = np.zeros(n)
        self.release = np.full(n, -np.inf)
        self.last_spike = np.full(n, -np.inf)
        self.runaway = np.full(n, np.nan)
        self.spikes_neuron, self.spikes_time = [], []
        self.ev_step, self.ev_off, self.ev_tgt, self.ev_starts = event_schedule(b)
        first = self.ev_tgt[: self.ev_starts[1]]
        np.add.at(self.x, first, self.g_star[first])            # spikes at t = 0

    def step(self, k: int) -> None:
        """Advance every neuron from t_k to t_{k+1}."""
        h, t0 = self.h, k * self.h
        V, x, g = self.V, self.x, self.g
        gbar = self.w_g_h * g + self.w_x_h * x
        V_new = membrane(V, gbar, h, self.c)
        x_new, g_new = x * self.decay_h, (g + x * self.u_h) * self.decay_h
        slow = V_new >= self.theta
        if self.has_ref:
            refractory = self.release > t0
            if refractory.any():
                held = self.release >= t0 + h                    # V stays at V_reset all step
                V_new[held] = V[held]
                slow &= ~held
                slow |= refractory & ~held                       # released within the step
        lo, hi = self.ev_starts[k + 1], self.ev_starts[k + 2]
        if hi > lo:
            slow[self.ev_tgt[lo:hi]] = True
        if slow.any():
            if self.coupled:
                slow = np.isin(self.comp, self.comp[slow])
            S = np.flatnonzero(slow)
            V_new[S], x_new[S], g_new[S] = self._rounds(S, t0, lo, hi, (V_new[S], x_new[S], g_new[S]))
        self.V, self.x, self.g = V_new, x_new, g_new

    def _comp_min(self, S, values):
        if not self.coupled:
            return values
        out = np.full(self.n, np.inf)
        np.minimum.at(out, self.comp[S], values)
        return out[self.comp[S]]

    def _rounds(self, S, t0, lo, hi, trial):
        """Advance the neurons S (whole components) through one step, event by event.

        ``trial`` holds V, x, g of S after a free full step; it is the first
        round's advance when no neuron of S has an event or a refractory period
        ending in this step.
        """
        h = self.h
        V, x, g = self.V[S].copy(), self.x[S].copy(), self.g[S].copy()
        tau, theta, c = self.tau[S], self.theta[S], {k: v[S] for k, v in self.c.items()}
        events = hi > lo
        pos = None
        if events or self.coupled:
            pos = np.full(self.n, -1)
            pos[S] = np.arange(S.size)
        if events:
            ev_pos, ev_off = pos[self.ev_tgt[lo:hi]], self.ev_off[lo:hi]
            pending = np.ones(hi - lo, dtype=bool)
        rel = self.release[S] - t0 if self.has_ref else None
        use_trial = not events and (rel is None or bool(np.all(rel <= 0)))
        clock = np.zeros(S.size)
        count = np.zeros(S.size, dtype=np.int64)
        while True:
            stop = np.full(S.size, h)
            if events and pending.any():
                np.minimum.at(stop, ev_pos[pending], ev_off[pending])
                stop = self._comp_min(S, stop)
            if use_trial:
                V_end, x1, g1, start = trial[0], x, g, clock
                use_trial = False
            else:
                V_end, x1, g1, start = self._advance(V, x, g, clock, stop, rel, tau, c)
            cand = V_end >= theta
            spikers = None
            if cand.any():
                ci = np.flatnonzero(cand)
                sigma = np.full(S.size, np.inf)
                sigma[ci] = start[ci] + crossing_time(V[ci], x1[ci], g1[ci], stop[ci] - start[ci], tau[ci],
                                                      theta[ci], {k: v[ci] for k, v in c.items()})
                first = self._comp_min(S, sigma)
                spikers = np.flatnonzero(cand & (sigma <= first))
                stop = np.minimum(stop, first)
                if self.coupled:    # the others of a component stop at its first crossing too
                    V_end = self._advance(V, x, g, clock, stop, rel, tau, c)[0]
            x, g = synapse(x, g, stop - clock, tau)
            V, clock = V_end, stop
            if spikers is not None:
                self._spike(S, spikers, t0 + clock, V, x, pos, count)
                if rel is not None:
                    rel[spikers] = self.release[S[spikers]] - t0
            if events and pending.any():
                due = pending & (ev_off <= clock[ev_pos])
                np.add.at(x, ev_pos[due], self.g_star[S][ev_pos[due]])
                pending &= ~due
            if spikers is None and (not events or bool(np.all(clock >= h))):
                return V, x, g              # every neuron of S has reached the end of the step

    @staticmethod
    def _advance(V, x, g, clock, stop, rel, tau, c):
        """V at ``stop``: held until the end of the refractory period, then free with g at its mean."""
        if rel is None:
            start, x1, g1 = clock, x, g
        else:
            start = np.maximum(clock, np.minimum(rel, stop))
            x1, g1 = synapse(x, g, start - clock, tau)
        L = stop - start
        return membrane(V, mean_g(x1, g1, L, tau), L, c), x1, g1, start

    def _spike(self, S, si, t, V, x, pos, count) -> None:
        gi, t_sp = S[si], t[si]
        V[si] = self.v_reset[gi]
        self.release[gi] = t_sp + self.t_ref[gi]
        fast = (t_sp - self.last_spike[gi] < self.h) & np.isnan(self.runaway[gi])
        self.runaway[gi[fast]] = t_sp[fast]
        self.last_spike[gi] = t_sp
        self.spikes_neuron.append(gi)
        self.spikes_time.append(t_sp)
        count[si] += 1
        if count[si].max() > MAX_SPIKES_PER_STEP:
            bad = S[count > MAX_SPIKES_PER_STEP]
            raise SimulationError(
                f"neuron(s) {bad[:5].tolist()} fired more than {MAX_SPIKES_PER_STEP} times within one time "
                f"step ending at t = {(t_sp.max() // self.h + 1) * self.h * 1e3:.6g} ms: inter-spike intervals "
                f"have shrunk below dt / {MAX_SPIKES_PER_STEP} (a runaway, e.g. excitatory coupling without "
                "refractory period); no fixed-step result is meaningful there. Set t_ref > 0 or shorten the run.")
        if self.coupled:
            fired = np.zeros(self.n, dtype=bool)
            fired[gi] = True
            hit = fired[self.b.pre]
            targets = self.b.post[hit]
            np.add.at(x, pos[targets], self.b.weight[hit])


def run_exact(b: Batch) -> Result:
    kernel = _Kernel(b)
    traces = {name: np.empty((b.n_steps + 1, b.n)) for name in b.record}
    for k in range(b.n_steps + 1):
        for name, out in traces.items():
            out[k] = derived(name, kernel.V, kernel.x, kernel.g, b.p)
        if k == b.n_steps:
            break
        kernel.step(k)
        first_bad_step(kernel.V, k + 1, b.dt)
    neuron, time = collect_spikes(kernel.spikes_neuron, kernel.spikes_time)
    return Result(times=b.times, traces=traces, spike_neuron=neuron, spike_time=time,
                  runaway_onset=kernel.runaway, V0=b.V0.copy(), info={"integrator": "exact", "kernel": "numpy", "threads": 1})
