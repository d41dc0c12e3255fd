"""Rate from inter-spike intervals with its standard error, free of window biases.

For a stationary renewal process the interval that follows a spike is independent
of when the spike happened, so the intervals that *start* in [t_start, t_stop] are
i.i.d. draws of the ISI distribution, provided each of them is seen to its end: run
the simulation long enough past t_stop that an ISI longer than that tail is
improbable (check with ``censored``). Pooling the intervals that lie entirely inside a
window instead favours short ones (bias of about +CV^2 / (rate * window) in the rate).

With n such intervals of mean m and standard deviation s, rate = 1/m and, by the
delta method, SE(rate) = s / (sqrt(n) m^2) = rate * CV / sqrt(n).
"""
from __future__ import annotations

import numpy as np


def isi_rate(index, times, n: int, t_start: float, t_stop: float) -> dict:
    """``rate``, ``se``, ``cv``, ``n_isi`` and ``censored`` (spikes in the window with no successor)."""
    order = np.lexsort((times, index))
    idx, t = np.asarray(index)[order], np.asarray(times)[order]
    has_next = np.r_[idx[1:] == idx[:-1], False]
    in_window = (t >= t_start) & (t <= t_stop)
    isi = (np.r_[t[1:], 0.0] - t)[in_window & has_next]
    m, s = isi.mean(), isi.std(ddof=1)
    return {"rate": 1.0 / m, "se": s / (np.sqrt(isi.size) * m * m), "cv": s / m,
            "n_isi": int(isi.size), "censored": int(np.sum(in_window & ~has_next))}
