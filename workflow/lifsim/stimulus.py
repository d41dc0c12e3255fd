"""Time-varying current components added to I_e: plain data in SI units, evaluated exactly.

A component is a dict with ``kind`` and its parameters (s, A, Hz, rad):

- ``step``:   amplitude on [start, stop)
- ``pulses``: amplitude on [start + n period, start + n period + width) within [start, stop)
- ``ramp``:   linear from ``from`` at start to ``to`` at stop, on [start, stop)
- ``sine``:   offset + amplitude sin(2 pi frequency t + phase) on [start, stop)

Amplitudes (amplitude, from, to, offset) may be arrays of the batch's shape; times are
scalars. Besides values, the module gives the switch times inside a window, the plain
integral of the current and the exponentially weighted integral
integral_a^b e^{-(b - s)/tau} I(s) ds, in closed form: with it, V(b) of a linear membrane
is exact for every component (no splitting of steps needed).
"""
from __future__ import annotations

import numpy as np

KINDS = ("step", "pulses", "ramp", "sine")


def pieces(component, a, b):
    """The component over [a, b] as pieces (lo, hi, p, q): I = p + q t on [lo, hi] (lo >= hi: empty), or a sine."""
    start, stop = component["start"], component["stop"]
    if component["kind"] == "step":
        yield np.maximum(a, start), np.minimum(b, stop), component["amplitude"], 0.0
    elif component["kind"] == "ramp":
        q = (np.asarray(component["to"]) - component["from"]) / (stop - start)
        yield np.maximum(a, start), np.minimum(b, stop), component["from"] - q * start, q
    elif component["kind"] == "pulses":
        period, width = component["period"], component["width"]
        first = int(np.floor((np.min(a) - start) / period))
        last = int(np.floor((np.max(b) - start) / period))
        for n in range(max(first, 0), last + 1):
            on = start + n * period
            yield np.maximum(a, on), np.minimum(np.minimum(b, on + width), stop), component["amplitude"], 0.0
    else:
        raise ValueError(f"not a piecewise-linear component: {component['kind']!r}")


def value(components, t):
    """The summed current (A) at times ``t`` (array; broadcast with the amplitudes)."""
    t = np.asarray(t, dtype=np.float64)
    total = np.zeros(np.shape(t))
    for c in components:
        on = (t >= c["start"]) & (t < c["stop"])
        if c["kind"] == "sine":
            v = c["offset"] + c["amplitude"] * np.sin(2 * np.pi * c["frequency"] * t + c["phase"])
        elif c["kind"] == "pulses":
            v = np.where((t - c["start"]) % c["period"] < c["width"], c["amplitude"], 0.0)
        elif c["kind"] == "ramp":
            v = c["from"] + (np.asarray(c["to"]) - c["from"]) * (t - c["start"]) / (c["stop"] - c["start"])
        else:
            v = c["amplitude"]
        total = total + np.where(on, v, 0.0)
    return total


def breakpoints(components, t0, t1):
    """Sorted times in (t0, t1) where a component switches on or off or changes slope."""
    times = []
    for c in components:
        times += [c["start"], c["stop"]]
        if c["kind"] == "pulses":
            n = np.arange(0, int(np.ceil((c["stop"] - c["start"]) / c["period"])) + 1)
            on = c["start"] + n * c["period"]
            times += list(on[on < c["stop"]]) + list(np.minimum(on + c["width"], c["stop"]))
    times = np.unique(np.asarray(times, dtype=np.float64))
    return times[(times > t0) & (times < t1)]


def integral(components, a, b):
    """integral_a^b I(s) ds (A s); ``a`` may be an array (per-neuron start), ``b`` a scalar or array."""
    total = 0.0
    for c in components:
        if c["kind"] == "sine":
            lo, hi = np.maximum(a, c["start"]), np.minimum(b, c["stop"])
            w = 2 * np.pi * c["frequency"]
            val = c["offset"] * (hi - lo) + c["amplitude"] * (np.cos(w * lo + c["phase"]) - np.cos(w * hi + c["phase"])) / w
            total = total + np.where(hi > lo, val, 0.0)
            continue
        for lo, hi, p, q in pieces(c, a, b):
            total = total + np.where(hi > lo, p * (hi - lo) + 0.5 * q * (hi * hi - lo * lo), 0.0)
    return total


def exp_weighted_integral(components, a, b, tau):
    """integral_a^b e^{-(b - s)/tau} I(s) ds (A s), exactly; V(b) = mu + (V(a) - mu) e^{-(b-a)/tau} + (R/tau) * this."""
    total = 0.0
    for c in components:
        if c["kind"] == "sine":
            lo, hi = np.maximum(a, c["start"]), np.minimum(b, c["stop"])
            w = 2 * np.pi * c["frequency"]

            def anti(s, w=w, c=c):  # antiderivative of e^{-(b-s)/tau} sin(w s + phase)
                x = w * s + c["phase"]
                return np.exp(-(b - s) / tau) * tau * (np.sin(x) - w * tau * np.cos(x)) / (1 + (w * tau) ** 2)
            dc = c["offset"] * tau * (np.exp(-(b - hi) / tau) - np.exp(-(b - lo) / tau))
            total = total + np.where(hi > lo, dc + c["amplitude"] * (anti(hi) - anti(lo)), 0.0)
            continue
        for lo, hi, p, q in pieces(c, a, b):
            # antiderivative of e^{-(b-s)/tau} (p + q s): tau e^{-(b-s)/tau} (p + q s - q tau)
            val = tau * (np.exp(-(b - hi) / tau) * (p + q * hi - q * tau) - np.exp(-(b - lo) / tau) * (p + q * lo - q * tau))
            total = total + np.where(hi > lo, val, 0.0)
    return total
