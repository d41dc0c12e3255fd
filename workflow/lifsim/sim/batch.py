"""A job's neurons as NumPy arrays: the input every integrator takes.

Parameters that are the same for all neurons stay scalars; swept parameters
are arrays of shape ``(n,)``; NumPy broadcasting makes both work in the same
arithmetic. All values are SI floats.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import rng

# Neutral values of parameters a job does not use (they are left out of its
# params so that they cannot trigger a rerun; see lifsim.config.experiments).
NEUTRAL = {"g_star": 0.0, "tau_syn": 1.0, "E_syn": 0.0, "V_thr": math.inf, "V_reset": 0.0, "t_ref": 0.0}


@dataclass
class Batch:
    n: int                       # number of neurons
    dt: float                    # s
    n_steps: int                 # steps; states are known at t_k = k dt, k = 0 .. n_steps
    p: dict                      # name -> float or (n,) array (SI)
    V0: np.ndarray               # (n,) initial membrane potential, V
    reset: bool
    record: tuple                # names of traced variables
    ext_time: np.ndarray         # (m,) presynaptic spike times (s), sorted
    ext_target: np.ndarray       # (m,) neuron index each of them drives
    pre: np.ndarray              # (e,) coupling edges: a spike of pre[k] drives post[k]
    post: np.ndarray
    weight: np.ndarray | None = None  # (e,) S: the jump of x[post[k]] on a spike of pre[k] (default: g_star[post])
    group: int = 1               # coupling stays within consecutive groups of this many neurons

    def __post_init__(self):
        if self.weight is None:
            self.weight = edge_weights(self.p["g_star"], self.post, self.n)

    @property
    def times(self) -> np.ndarray:
        return np.arange(self.n_steps + 1) * self.dt


def n_steps(duration: float, dt: float) -> int:
    """Number of steps that cover ``duration`` (a duration that is not a multiple of dt is rounded up)."""
    return max(1, math.ceil(duration / dt - 1e-9))


def grid_points(grid: dict) -> dict[str, np.ndarray]:
    """The points of a sweep job's grid, flattened in C order (names in the grid's order)."""
    from ..config.sweeps import expand

    axes = [np.asarray(expand(spec), dtype=np.float64) for spec in grid.values()]
    mesh = np.meshgrid(*axes, indexing="ij")
    return {name: m.ravel() for name, m in zip(grid, mesh)}


def initial_voltages(params: dict, points: dict) -> np.ndarray:
    spec, n = params["V_init"], params["batch"]["size"]
    per_point = params["batch"].get("per_point", 1)
    if "values" in spec:
        return np.asarray(spec["values"], dtype=np.float64)
    if "per_point" in spec:
        return np.tile(np.asarray(spec["per_point"], dtype=np.float64), n // per_point)
    if points:  # keyed by the point's parameter values (and the neuron within the point)
        keys = rng.keys_from_points(list(points.values()), per_point)
    else:
        keys = np.arange(n, dtype=np.uint64)
    low, high = spec["uniform"]
    return rng.uniform(spec["seed"], spec["stream"], keys, low, high)


def edge_weights(g_star, post: np.ndarray, n: int) -> np.ndarray:
    """Each edge's weight when the coupling is 0/1: the target's g_star (which a sweep may set per neuron)."""
    return np.broadcast_to(np.asarray(g_star, dtype=np.float64), (n,))[post].copy()


def coupling_edges(params: dict, n: int, g_star) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(pre, post, weight)`` of the coupling, repeated block-diagonally in every point of a sweep.

    ``params["coupling"][i][j]`` != 0 connects neuron j to neuron i. With
    ``params["coupling_weights"]`` true the entries are conductances (S), else 0/1.
    """
    if not params["coupling"]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    W = np.asarray(params["coupling"], dtype=np.float64)
    post1, pre1 = np.nonzero(W)
    offsets = np.arange(n // W.shape[0]) * W.shape[0]
    post = (offsets[:, None] + post1[None, :]).ravel()
    pre = (offsets[:, None] + pre1[None, :]).ravel()
    if params.get("coupling_weights", False):
        weight = np.tile(W[post1, pre1], offsets.size)
    else:
        weight = edge_weights(g_star, post, n)
    return pre, post, weight


def from_params(params: dict) -> Batch:
    """Build the batch of one job from its resolved parameters (see lifsim.config.experiments)."""
    n = params["batch"]["size"]
    p = {**NEUTRAL, **params["neuron"]}
    if "V_reset" not in params["neuron"] and params["reset"]:
        p["V_reset"] = p["E_m"]
    per_point = params["batch"].get("per_point", 1)
    points = grid_points(params["grid"]) if params.get("grid") else {}
    for name, values in points.items():
        p[name] = np.repeat(values, per_point)
    if not params["reset"]:
        p["V_thr"] = math.inf
    spikes = np.asarray(sorted(params["presynaptic_spikes"]), dtype=np.float64)
    ext_time = np.repeat(spikes, n)
    ext_target = np.tile(np.arange(n), spikes.size)
    pre, post, weight = coupling_edges(params, n, p["g_star"])
    return Batch(n=n, dt=params["dt"], n_steps=n_steps(params["duration"], params["dt"]), p=p,
                 V0=initial_voltages(params, points), reset=params["reset"], record=tuple(params["record"]),
                 ext_time=ext_time, ext_target=ext_target, pre=pre, post=post, weight=weight,
                 group=len(params["coupling"]) if params["coupling"] else 1)
