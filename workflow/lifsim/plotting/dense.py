"""Lines and bands of a dense sweep (far more points than pixels) reduced to what a pixel column can show.

A line of 250,000 points across a few hundred pixels is drawn (and laid out) point by point, slowly, while
all a pixel column shows of it is the range of the values that fall into it. ``min_max`` keeps, per bin of
consecutive points, the first, the smallest, the largest and the last value (in their order along x, at their
own x), so the drawn line covers the same range in every bin; ``band`` keeps per bin the lowest lower and the highest upper edge
(the union of the band over the bin, at the bin's two ends). With bins narrower than a pixel the drawing is
the same at the figure's resolution, up to the antialiasing of edges; a band covering only part of a pixel
column at some height is drawn over all of it (where a noisy band is drawn with alpha, a little denser). A
line keeps its gaps (NaN); a band skips NaN values, and only a bin of NaN alone stays a gap.
"""
from __future__ import annotations

import warnings

import numpy as np


def bins_for(width_in: float, dpi: float) -> int:
    """Bins for a sweep drawn across a figure ``width_in`` inches wide: two per pixel of the whole width."""
    return int(np.ceil(2 * width_in * dpi))


def binned(values, bins: int) -> np.ndarray:
    """``values`` in ``bins`` rows of consecutive points (the last row filled up with NaN)."""
    values = np.asarray(values, dtype=np.float64)
    per = -(-values.size // bins)
    out = np.full(bins * per, np.nan)
    out[:values.size] = values
    return out.reshape(bins, per)


def min_max(x, y, bins: int):
    """(x, y) of a line through at most ~4 ``bins`` points (plus NaN breaks): in each bin, each run of finite
    values keeps its first, smallest, largest and last point in x order, so the line keeps its ends, its range
    in every bin, its gaps, and the axes their data limits. A finite point alone between NaNs, which a line
    does not show, is left out; a NaN between two runs keeps them apart."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if y.size <= 4 * bins:
        return x, y
    finite = np.isfinite(y)
    at = np.flatnonzero(finite)
    run = np.cumsum(np.diff(at, prepend=-2) > 1)        # which run of consecutive finite points
    sizes = np.bincount(run)
    at, run = at[sizes[run] > 1], run[sizes[run] > 1]   # runs of one point draw nothing
    if not at.size:
        return x[:0], y[:0]
    per = -(-y.size // bins)
    key = np.cumsum(np.diff(run * (bins + 1) + at // per, prepend=-1) != 0) - 1   # (run, bin) groups in order
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    ends = np.append(starts[1:], key.size) - 1
    by_value = at[np.lexsort((y[at], key))]              # each group's points from the smallest value up
    lo, hi = by_value[starts], by_value[ends]
    idx = np.stack([at[starts], np.minimum(lo, hi), np.maximum(lo, hi), at[ends]], axis=1)
    out_x, out_y = x[idx], y[idx]
    breaks = np.append(run[starts][1:] != run[starts][:-1], False)   # a new run starts after this group
    out_x = np.concatenate([out_x, np.where(breaks, np.nan, 0.0)[:, None]], axis=1)
    out_y = np.concatenate([out_y, np.where(breaks, np.nan, 0.0)[:, None]], axis=1)
    keep = np.ones(out_x.shape, dtype=bool)
    keep[:, 4] = breaks
    return out_x[keep], out_y[keep]


def band(x, lower, upper, bins: int):
    """(x, lower, upper) with, per bin, the lowest ``lower`` and the highest ``upper`` at the bin's first and
    last x (so the band covers the union of its parts in the bin)."""
    x = np.asarray(x, dtype=np.float64)
    if x.size <= 2 * bins:
        return x, np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
    per = -(-x.size // bins)
    starts = np.arange(0, x.size, per)                # the bins that hold points
    lower, upper = binned(lower, bins)[:starts.size], binned(upper, bins)[:starts.size]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # an all-NaN bin: a gap
        lo, hi = np.nanmin(lower, axis=1), np.nanmax(upper, axis=1)
    ends = np.minimum(starts + per, x.size) - 1
    return np.stack([x[starts], x[ends]], axis=1).ravel(), np.repeat(lo, 2), np.repeat(hi, 2)
