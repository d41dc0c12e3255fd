"""What an integrator returns, and the checks every integrator shares."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class SimulationError(RuntimeError):
    """The simulation produced a non-finite value or cannot go on."""


@dataclass
class Result:
    times: np.ndarray                  # (T,) s, T = n_steps + 1
    traces: dict                       # name -> (T, n) array, SI units
    spike_neuron: np.ndarray           # (s,) int, sorted by neuron then time
    spike_time: np.ndarray             # (s,) s
    runaway_onset: np.ndarray          # (n,) s, first time a neuron spiked twice within one step (NaN: never)
    V0: np.ndarray                     # (n,) initial membrane potential, V
    info: dict = field(default_factory=dict)
    summary: dict | None = None        # per-neuron spike statistics; computed from the spikes if None

    @property
    def n(self) -> int:
        return self.V0.size

    def spike_counts(self) -> np.ndarray:
        if self.summary is not None:
            return self.summary["spike_count"]
        return np.bincount(self.spike_neuron, minlength=self.n)

    def spike_summary(self) -> dict:
        """Per neuron: spike_count, first_spike, last_spike, mean_isi, isi_std (s; NaN where undefined)."""
        if self.summary is None:
            self.summary = summarise(self.spike_neuron, self.spike_time, self.n)
        return self.summary


def summarise(neuron: np.ndarray, time: np.ndarray, n: int) -> dict:
    """Spike statistics per neuron from spikes sorted by neuron, then time (no loop over neurons)."""
    count = np.bincount(neuron, minlength=n)
    end = np.cumsum(count)
    start = end - count
    has = count > 0
    first = np.full(n, np.nan)
    last = np.full(n, np.nan)
    first[has] = time[start[has]]
    last[has] = time[end[has] - 1]
    isi = np.diff(time)
    same = neuron[1:] == neuron[:-1]
    isi_sum = np.bincount(neuron[1:][same], weights=isi[same], minlength=n)
    isi_sq = np.bincount(neuron[1:][same], weights=isi[same] ** 2, minlength=n)
    k = np.maximum(count - 1, 1)
    mean = np.where(count >= 2, isi_sum / k, np.nan)
    var = np.where(count >= 3, (isi_sq - isi_sum**2 / k) / np.maximum(count - 2, 1), np.nan)
    return {"spike_count": count, "first_spike": first, "last_spike": last, "mean_isi": mean,
            "isi_std": np.sqrt(np.maximum(var, 0.0))}


def collect_spikes(chunks_neuron: list, chunks_time: list) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate per-step spike chunks and order them by neuron, then time."""
    if not chunks_neuron:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    neuron = np.concatenate(chunks_neuron).astype(np.int64)
    time = np.concatenate(chunks_time).astype(np.float64)
    order = np.lexsort((time, neuron))
    return neuron[order], time[order]


def first_bad_step(V: np.ndarray, step: int, dt: float) -> None:
    """Raise SimulationError if V holds NaN or infinity after ``step``."""
    if not np.isfinite(V).all():
        bad = np.flatnonzero(~np.isfinite(V))
        raise SimulationError(
            f"non-finite membrane potential at step {step} (t = {step * dt * 1e3:.6g} ms) in neuron(s) "
            f"{bad[:5].tolist()}{' ...' if bad.size > 5 else ''}: the time step is too large for these "
            "parameters, or a parameter is out of range")
