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

    @property
    def times(self) -> np.ndarray:
        return np.arange(self.n_steps + 1) * self.dt


def n_steps(duration: float, dt: float) -> int:
    """Number of steps that cover ``duration`` (a duration that is not a multiple of dt is rounded up)."""
    return max(1, math.ceil(duration / dt - 1e-9))


def initial_voltages(params: dict) -> np.ndarray:
    spec, n = params["V_init"], params["batch"]["size"]
    if "values" in spec:
        return np.asarray(spec["values"], dtype=np.float64)
    batch = params["batch"]
    if batch["dim"] in params["sweep"]:
        keys = rng.keys_from_values(params["sweep"][batch["dim"]])
    else:
        keys = np.arange(n, dtype=np.uint64)
    low, high = spec["uniform"]
    return rng.uniform(spec["seed"], spec["stream"], keys, low, high)


def from_params(params: dict) -> Batch:
    """Build the batch of one job from its resolved parameters (see lifsim.config.experiments)."""
    n = params["batch"]["size"]
    p = {**NEUTRAL, **params["neuron"]}
    if "V_reset" not in params["neuron"] and params["reset"]:
        p["V_reset"] = p["E_m"]
    for name, values in params["sweep"].items():
        p[name] = np.asarray(values, dtype=np.float64)
    if not params["reset"]:
        p["V_thr"] = math.inf
    spikes = np.asarray(sorted(params["presynaptic_spikes"]), dtype=np.float64)
    ext_time = np.repeat(spikes, n)
    ext_target = np.tile(np.arange(n), spikes.size)
    if params["coupling"]:
        post, pre = np.nonzero(np.asarray(params["coupling"], dtype=np.int64).reshape(n, n))
    else:
        post = pre = np.zeros(0, dtype=np.int64)
    return Batch(n=n, dt=params["dt"], n_steps=n_steps(params["duration"], params["dt"]), p=p,
                 V0=initial_voltages(params), reset=params["reset"], record=tuple(params["record"]),
                 ext_time=ext_time, ext_target=ext_target, pre=pre, post=post)
