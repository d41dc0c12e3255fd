"""Stimulus components for the compiled noise kernels: packed into arrays, evaluated per neuron (numba).

The same formulas, in the same order, as :mod:`lifsim.stimulus` (value at a time and the
exponentially weighted integral over a step), so results agree to rounding (numba calls libm's
exp and sin where NumPy calls its own). Packing: ``kinds`` (C,) codes in ``stimulus.KINDS`` order;
``times`` (C, 6): start, stop, period, width, frequency, phase; ``amps`` (C, 4, N): amplitude, from,
to, offset per neuron (scalars broadcast). Unused fields are 0.
"""
from __future__ import annotations

import math

import numpy as np

from ..numba_start import numba
from ..stimulus import KINDS

STEP, PULSES, RAMP, SINE = (KINDS.index(k) for k in ("step", "pulses", "ramp", "sine"))
TIME_FIELDS = ("start", "stop", "period", "width", "frequency", "phase")
AMP_FIELDS = ("amplitude", "from", "to", "offset")


def pack(components, n: int):
    """(kinds, times, amps) arrays of the components for N neurons (empty arrays: no stimulus)."""
    kinds = np.array([KINDS.index(c["kind"]) for c in components], dtype=np.int64)
    times = np.array([[float(c.get(f, 0.0)) for f in TIME_FIELDS] for c in components], dtype=np.float64)
    amps = np.zeros((len(components), len(AMP_FIELDS), n))
    for j, c in enumerate(components):
        for f, name in enumerate(AMP_FIELDS):
            amps[j, f] = np.broadcast_to(np.asarray(c.get(name, 0.0), dtype=np.float64), (n,))
    return kinds, times.reshape(len(components), len(TIME_FIELDS)), amps


@numba.njit(cache=True, nogil=True, error_model="numpy")
def value(kinds, times, amps, i, t):
    """The summed current (A) of neuron ``i`` at time ``t`` (``stimulus.value``)."""
    total = 0.0
    for c in range(kinds.size):
        start, stop = times[c, 0], times[c, 1]
        if not (t >= start and t < stop):
            continue
        kind = kinds[c]
        if kind == SINE:
            v = amps[c, 3, i] + amps[c, 0, i] * math.sin(2 * np.pi * times[c, 4] * t + times[c, 5])
        elif kind == PULSES:
            v = amps[c, 0, i] if (t - start) % times[c, 2] < times[c, 3] else 0.0
        elif kind == RAMP:
            v = amps[c, 1, i] + (amps[c, 2, i] - amps[c, 1, i]) * (t - start) / (stop - start)
        else:
            v = amps[c, 0, i]
        total = total + v
    return total


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def linear_piece(lo, hi, p, q, b, tau):
    """integral_lo^hi e^{-(b - s)/tau} (p + q s) ds (0 when lo >= hi)."""
    if not hi > lo:
        return 0.0
    return tau * (math.exp(-(b - hi) / tau) * (p + q * hi - q * tau) - math.exp(-(b - lo) / tau) * (p + q * lo - q * tau))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def exp_weighted_integral(kinds, times, amps, i, a, b, tau):
    """integral_a^b e^{-(b - s)/tau} I(s) ds of neuron ``i`` (``stimulus.exp_weighted_integral``)."""
    total = 0.0
    for c in range(kinds.size):
        start, stop = times[c, 0], times[c, 1]
        kind = kinds[c]
        if kind == SINE:
            lo, hi = max(a, start), min(b, stop)
            if hi > lo:
                w = 2 * np.pi * times[c, 4]
                x_hi, x_lo = w * hi + times[c, 5], w * lo + times[c, 5]
                wt = w * tau
                anti_hi = math.exp(-(b - hi) / tau) * tau * (math.sin(x_hi) - wt * math.cos(x_hi)) / (1 + wt * wt)
                anti_lo = math.exp(-(b - lo) / tau) * tau * (math.sin(x_lo) - wt * math.cos(x_lo)) / (1 + wt * wt)
                dc = amps[c, 3, i] * tau * (math.exp(-(b - hi) / tau) - math.exp(-(b - lo) / tau))
                total = total + (dc + amps[c, 0, i] * (anti_hi - anti_lo))
        elif kind == PULSES:
            period, width = times[c, 2], times[c, 3]
            first = int(math.floor((a - start) / period))
            last = int(math.floor((b - start) / period))
            for n in range(max(first, 0), last + 1):
                on = start + n * period
                total = total + linear_piece(max(a, on), min(min(b, on + width), stop), amps[c, 0, i], 0.0, b, tau)
        elif kind == RAMP:
            q = (amps[c, 2, i] - amps[c, 1, i]) / (stop - start)
            total = total + linear_piece(max(a, start), min(b, stop), amps[c, 1, i] - q * start, q, b, tau)
        else:
            total = total + linear_piece(max(a, start), min(b, stop), amps[c, 0, i], 0.0, b, tau)
    return total
