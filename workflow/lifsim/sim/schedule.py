"""The structure of a batch that the exact integrator steps through: coupled components and external spikes."""
from __future__ import annotations

import numpy as np

from .batch import Batch


def components(n: int, pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Connected-component label of each neuron (its smallest member) in the undirected coupling graph."""
    label = np.arange(n)
    while pre.size:
        new = label.copy()
        np.minimum.at(new, post, label[pre])
        np.minimum.at(new, pre, label[post])
        if np.array_equal(new, label):
            break
        label = new
    return label


def event_schedule(b: Batch):
    """External spikes as (step, offset in the step, target); on-grid ones at the end of the step before.

    A spike within 1e-9 steps of a grid point t_j counts as at t_j (offset dt in
    step j - 1; step -1 means before the first step).
    """
    q = b.ext_time / b.dt
    k = np.rint(q)
    on_grid = np.abs(q - k) <= 1e-9
    step = np.where(on_grid, k - 1, np.floor(q)).astype(np.int64)
    offset = np.where(on_grid, b.dt, np.clip(b.ext_time - step * b.dt, 0.0, b.dt))
    order = np.lexsort((offset, step))
    step, offset, target = step[order], offset[order], b.ext_target[order]
    starts = np.searchsorted(step, np.arange(-1, b.n_steps + 1))
    return step, offset, target, starts
