"""Pure functions on spike trains (ms): lag and phase, locking, runaway, and the pre-spike shortfall."""
from __future__ import annotations

import numpy as np

NAN_LOCK = {"time": np.nan, "phase": np.nan, "lag": np.nan, "range": np.nan, "locked": False}


def lag_and_phase(t0: np.ndarray, t1: np.ndarray) -> dict:
    """For each spike of train 1 with a spike of train 0 at or before it (a) and after it (b):
    its time, the signed lag to the nearer of a and b, the phase (t - a) / (b - a) and the period b - a."""
    t0, t1 = np.asarray(t0, dtype=float), np.asarray(t1, dtype=float)
    i = np.searchsorted(t0, t1, side="right")
    ok = (i > 0) & (i < t0.size)
    s, a, b = t1[ok], t0[i[ok] - 1], t0[i[ok]]
    lag = np.where(s - a <= b - s, s - a, s - b)
    return {"time": s, "lag": lag, "phase": (s - a) / (b - a), "period": b - a}


def circular_mean(phase: np.ndarray) -> float:
    """Mean of phases on the circle [0, 1) (so that 0.98 and 0.02 average to 0, not 0.5)."""
    angle = np.angle(np.mean(np.exp(2j * np.pi * np.asarray(phase))))
    return float((angle / (2 * np.pi)) % 1.0)


def lock(seq: dict, tolerance: float, duration: float) -> dict:
    """Whether the lag settles: the first time from which it stays within ``tolerance`` of its final value.

    The final value is the circular mean phase over the last half of the run;
    distances are taken on the circle and converted to time with the local
    period. Locked means settled for at least the last half of the run.
    """
    time, phase, period = seq["time"], seq["phase"], seq["period"]
    late = time >= duration / 2
    if late.sum() < 2:
        return dict(NAN_LOCK)
    ref = circular_mean(phase[late])
    dist = ((phase - ref + 0.5) % 1.0 - 0.5) * period
    outside = np.flatnonzero(np.abs(dist) > tolerance)
    start = outside[-1] + 1 if outside.size else 0
    settled = float(time[start]) if start < time.size else np.nan
    locked = bool(np.isfinite(settled) and settled <= duration / 2)
    return {"time": settled if locked else np.nan, "phase": ref,
            "lag": ((ref + 0.5) % 1.0 - 0.5) * float(np.mean(period[late])),
            "range": float(dist[late].max() - dist[late].min()), "locked": locked}


def runaway_onset(trains, isi_max: float) -> float:
    """First time (end of the interval) any train has an inter-spike interval <= isi_max; NaN if never."""
    onsets = []
    for t in trains:
        short = np.flatnonzero(np.diff(t) <= isi_max * (1 + 1e-9))
        if short.size:
            onsets.append(float(t[short[0] + 1]))
    return min(onsets) if onsets else np.nan


def pair_state(trains, onset: float, locks: list[dict], duration: float) -> str:
    """runaway > suppression > locked > not_locked (see lifsim.analysis.pair); ``locks``: one per follower."""
    if np.isfinite(onset):
        return "runaway"
    late = [int(np.sum(np.asarray(t) >= duration / 2)) for t in trains]
    if max(late) > 0 and min(late) < 0.5 * max(late):
        return "suppression"
    return "locked" if locks and all(lk["locked"] for lk in locks) else "not_locked"


def shortfall(time: np.ndarray, V: np.ndarray, trains, V_thr: float) -> tuple[float, float]:
    """Largest and median V_thr - V one time step before each spike (V: (neuron, time), mV; times in ms)."""
    dt = float(time[1] - time[0])
    gaps = []
    for n, t in enumerate(trains):
        k = np.rint((np.asarray(t) - time[0]) / dt).astype(np.int64)
        k = k[k >= 1]
        gaps.append(V_thr - V[n, k - 1])
    gaps = np.concatenate(gaps) if gaps else np.zeros(0)
    return (float(gaps.max()), float(np.median(gaps))) if gaps.size else (np.nan, np.nan)


def padded(rows) -> np.ndarray:
    """NaN-padded array of 1-D arrays (rows: list of arrays -> 2-D; list of lists of arrays -> 3-D)."""
    nested = isinstance(rows[0], (list, tuple))
    flat = [a for r in rows for a in r] if nested else list(rows)
    width = max([np.size(a) for a in flat] + [1])
    out = np.full((len(flat), width), np.nan)
    for i, a in enumerate(flat):
        out[i, : np.size(a)] = a
    return out.reshape(len(rows), -1, width) if nested else out
