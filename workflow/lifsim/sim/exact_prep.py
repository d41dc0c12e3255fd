"""What the compiled ``exact`` kernel (``exact_numba``) needs of a batch, as flat arrays.

The per-neuron constants are the values the NumPy kernel computes (``propagators``); the coupling and the
external spikes are laid out for the compiled loops: components with their members, edges by presynaptic
neuron, and events sorted by step and target.
"""
from __future__ import annotations

import numpy as np

from .exact_steps import ROWS


def constants(b) -> np.ndarray:
    """The rows of ``exact_steps.ROWS`` for every neuron."""
    from .propagators import coefficients, mean_weights

    n, h = b.n, b.dt
    full = {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)) for k, v in b.p.items()}
    c = coefficients(full)
    tau = full["tau_syn"]
    w_g, w_x = mean_weights(h, tau)
    rows = {**full, **c, "decay_h": np.exp(-h / tau), "u_h": h / tau, "w_g_h": w_g, "w_x_h": w_x,
            "neg_a0_h": -c["a0"] * h, "neg_a1_h": -c["a1"] * h, "b0_h": c["b0"] * h, "b1_h": c["b1"] * h}
    return np.ascontiguousarray(np.stack([np.broadcast_to(rows[r], (n,)) for r in ROWS]))


def structure(b):
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


def events(b):
    """External spikes: (offset in their step, target, index of each step's first, permutation by step then
    target, targets in that order) (see ``schedule.event_schedule``)."""
    from .schedule import event_schedule

    ev_step, ev_off, ev_tgt, ev_starts = event_schedule(b)
    tperm = np.lexsort((ev_off, ev_tgt, ev_step)).astype(np.int64)
    return ev_off, ev_tgt, ev_starts, tperm, np.ascontiguousarray(ev_tgt[tperm], dtype=np.int64)
