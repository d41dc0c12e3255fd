"""Per-neuron window statistics accumulated by a compiled kernel as its spikes occur, instead of recorded spikes.

A ``noisy_fi_curve`` job that does not store spike times needs per neuron only what
:func:`lifsim.noisy.points.interval_sums` makes of its spike train: the spikes in the window
[t0, t1), and the number, sum and sum of squares of the intervals that start there (their end may lie
after t1), and whether the last spike lies in the window (censored). A kernel calls :func:`tally` at
each spike of neuron i; a neuron's spikes come in time order, so each sum gets its terms in the
order that ``np.bincount`` adds them on the spikes sorted by (neuron, time), from the same 0.0: the
results are interval_sums' bit for bit (tested), without a buffer of spikes, a sort or a lexsort.
"""
from __future__ import annotations

import numpy as np

from ..numba_start import numba


def new(n: int) -> tuple:
    """The tallies of ``n`` neurons before any spike: (last spike time, count, n_isi, isi_sum, isi_sumsq)."""
    return (np.full(n, -np.inf), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n),
            np.zeros(n))


NONE = new(0)     # what a kernel that records spikes gets instead (the same types: one compiled version)


@numba.njit(cache=True, nogil=True, inline="always")
def tally(tallies, i, t, t0, t1):
    """Neuron i spiked at t (after its earlier spikes): the interval from its last spike counts if that lies
    in [t0, t1); the spike counts if it does."""
    last, count, n_isi, isi_sum, isi_sumsq = tallies
    previous = last[i]
    if previous >= t0 and previous < t1:
        d = t - previous
        n_isi[i] += 1
        isi_sum[i] += d
        isi_sumsq[i] += d * d
    if t >= t0 and t < t1:
        count[i] += 1
    last[i] = t


def sums(tallies, t0: float, t1: float) -> dict:
    """:func:`lifsim.noisy.points.interval_sums`' dict (without ``order``: no spikes) from the tallies."""
    last, count, n_isi, isi_sum, isi_sumsq = tallies
    return {"count": count, "n_isi": n_isi, "isi_sum": isi_sum, "isi_sumsq": isi_sumsq,
            "censored": ((last >= t0) & (last < t1)).astype(np.int64)}
