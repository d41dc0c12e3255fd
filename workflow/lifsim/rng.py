"""Random draws keyed by identity, not by position or job order.

A draw for a point is a pure function of (global seed, stream, key), where the
stream names the experiment (and condition) and the key identifies the point
within it (a trial number, or a sweep value's bits). Adding a point, reordering
conditions or running jobs in another order therefore leaves every other
point's draw unchanged. The mixing is SplitMix64 (Steele, Lea & Flood 2014),
vectorised in NumPy so that a million points cost one array operation.
"""
from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    z = z.copy()
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def stream_key(seed: int, stream: str) -> np.uint64:
    digest = hashlib.sha256(f"{int(seed)}/{stream}".encode()).digest()
    return np.uint64(int.from_bytes(digest[:8], "little"))


def keys_from_values(values) -> np.ndarray:
    """uint64 keys from float values (their IEEE bits; -0.0 is taken as 0.0)."""
    arr = np.asarray(values, dtype=np.float64) + 0.0
    return arr.view(np.uint64).copy()


def keys_from_points(axes: list, per_point: int = 1) -> np.ndarray:
    """One key per neuron from the parameter values of its point (and its index within the point).

    A single swept parameter with one neuron per point gives ``keys_from_values`` of it.
    """
    key = keys_from_values(axes[0])
    with np.errstate(over="ignore"):
        for axis in axes[1:]:
            key = _mix(key ^ keys_from_values(axis)) + _GOLDEN
        if per_point > 1:
            key = np.repeat(key, per_point)
            key = _mix(key + np.tile(np.arange(per_point, dtype=np.uint64), key.size // per_point))
    return key


def uniform(seed: int, stream: str, keys, low: float, high: float) -> np.ndarray:
    """One draw from [low, high) per key, reproducible from (seed, stream, key)."""
    keys = np.asarray(keys, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = _mix(_mix(keys + stream_key(seed, stream) * _GOLDEN) + _GOLDEN)
    unit = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)  # [0, 1), 53 random bits
    return low + (high - low) * unit


def neuron_keys(seed: int, stream: str, keys) -> np.ndarray:
    """The 64-bit key of each neuron's random stream (for :mod:`lifsim.philox`).

    ``keys`` identify the neurons within the stream (``keys_from_points`` of the
    point's parameter values and neuron index); the result depends on nothing else,
    so a neuron draws the same numbers alone or inside any batch.
    """
    keys = np.asarray(keys, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return _mix(_mix(keys ^ stream_key(seed, stream)) + _GOLDEN)
