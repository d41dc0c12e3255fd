"""What the compiled kernels return about spikes: times ordered by neuron, and per-neuron statistics.

Each block of a kernel stores its spikes in the order they happen (every neuron's in time order); a
counting sort by neuron, compiled, then gives the order of ``result.collect_spikes`` (neuron, then
time) in two passes instead of a sort. Without stored times the kernels accumulate count, first and last
spike and the sums of the inter-spike intervals and their squares; :func:`summary` turns them into the
statistics of ``result.summarise``.
"""
from __future__ import annotations

import numpy as np

from .jit import njit


@njit
def by_neuron(sp_n, sp_t, pos, n):
    """Spikes of all blocks (``sp_n[b, :pos[b, 0]]``, ``sp_t[b, :pos[b, 0]]``) ordered by neuron, then time."""
    start = np.zeros(n + 1, dtype=np.int64)
    for b in range(sp_n.shape[0]):
        for q in range(pos[b, 0]):
            start[sp_n[b, q] + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    neuron, time = np.empty(start[n], dtype=np.int64), np.empty(start[n])
    for b in range(sp_n.shape[0]):
        for q in range(pos[b, 0]):
            i = sp_n[b, q]
            neuron[start[i]], time[start[i]] = i, sp_t[b, q]
            start[i] += 1
    return neuron, time


def summary(count, first, last, isi_sum, isi_sq) -> dict:
    """Per-neuron statistics (``result.summarise``) from the sums a kernel accumulated (s; NaN where undefined)."""
    count = np.asarray(count, dtype=np.int64)
    isi_n = np.maximum(count - 1, 1)
    mean_isi = np.where(count >= 2, isi_sum / isi_n, np.nan)
    var = np.where(count >= 3, (isi_sq - isi_sum**2 / isi_n) / np.maximum(count - 2, 1), np.nan)
    return {"spike_count": count, "first_spike": np.where(count > 0, first, np.nan),
            "last_spike": np.where(count > 0, last, np.nan), "mean_isi": mean_isi,
            "isi_std": np.sqrt(np.maximum(var, 0.0))}
