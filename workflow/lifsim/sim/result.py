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

    @property
    def n(self) -> int:
        return self.V0.size

    def spike_counts(self) -> np.ndarray:
        return np.bincount(self.spike_neuron, minlength=self.n)


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
