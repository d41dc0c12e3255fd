"""lifsim.plotting.dense: a dense sweep's lines and bands keep, per bin, what a pixel column of them shows."""
import numpy as np
import pytest

from lifsim.plotting.dense import band, bins_for, min_max


def segments(x, y):
    """The drawn pieces of a line: runs of >= 2 consecutive finite points, as lists of indices."""
    finite = np.isfinite(y)
    out, current = [], []
    for i, ok in enumerate(finite):
        if ok:
            current.append(i)
        else:
            if len(current) > 1:
                out.append(current)
            current = []
    if len(current) > 1:
        out.append(current)
    return out


def noisy(n, seed, nan_fraction=0.0):
    rng = np.random.default_rng(seed)
    x = np.linspace(2.0, 3.2, n)
    y = 40 * (x - 2) + rng.standard_normal(n) * 5
    y[rng.random(n) < nan_fraction] = np.nan
    y[n // 3:n // 3 + n // 50] = np.nan          # a wide gap
    return x, y


@pytest.mark.parametrize("seed,nan_fraction", [(0, 0.0), (1, 0.02), (2, 0.3)])
def test_min_max_keeps_points_ranges_ends_and_gaps(seed, nan_fraction):
    n, bins = 100_003, 700
    x, y = noisy(n, seed, nan_fraction)
    dx, dy = min_max(x, y, bins)
    finite = np.isfinite(dy)
    assert dx.size <= 5 * (bins + len(segments(x, y)))   # 4 points per (run, bin) group and a break
    assert np.array_equal(np.isnan(dx), ~finite)
    # every point drawn is a point of the line, in x order within each run
    pos = np.searchsorted(x, dx[finite])
    assert np.array_equal(x[pos], dx[finite]) and np.array_equal(y[pos], dy[finite])
    assert np.all(np.diff(dx[finite]) >= 0)
    # the drawn pieces: the line's runs (NaN breaks between them), each from its first to its last point
    pieces = np.split(np.arange(dx.size), np.flatnonzero(~finite))
    pieces = [p[np.isfinite(dx[p])] for p in pieces]
    runs = segments(x, y)
    assert len(pieces) == len(runs)
    per = -(-n // bins)
    for piece, run in zip(pieces, runs):
        run = np.array(run)
        assert dx[piece[0]] == x[run[0]] and dx[piece[-1]] == x[run[-1]]
        # in each bin of the run, the same smallest and largest value
        for b in np.unique(run // per):
            inside = run[run // per == b]
            drawn = dy[piece][(np.searchsorted(x, dx[piece]) // per) == b]
            assert drawn.min() == y[inside].min() and drawn.max() == y[inside].max()


def test_min_max_keeps_the_data_limits():
    x, y = noisy(250_000, 5, 0.01)
    dx, dy = min_max(x, y, 2100)
    assert np.nanmin(dx) == x[np.isfinite(y)][0] and np.nanmax(dx) == x[np.isfinite(y)][-1]
    assert np.nanmin(dy) == np.nanmin(y) and np.nanmax(dy) == np.nanmax(y)


def test_short_lines_and_bands_are_untouched():
    x, y = noisy(1000, 3)
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(min_max(x, y, 250), (x, y)))
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(band(x, y - 1, y + 1, 500), (x, y - 1, y + 1)))


def test_min_max_of_nan_only_and_isolated_points():
    x = np.arange(10_000.0)
    y = np.full(x.size, np.nan)
    assert min_max(x, y, 100)[0].size == 0
    y[::2] = 1.0                                   # no two finite points in a row: a line shows nothing
    assert min_max(x, y, 100)[0].size == 0


@pytest.mark.parametrize("n,bins", [(100_003, 700), (250_000, 2100), (9_001, 1000)])
def test_band_is_the_union_of_its_parts_per_bin(n, bins):
    x, y = noisy(n, 7, 0.05)
    se = np.abs(np.random.default_rng(8).standard_normal(n))
    bx, lo, hi = band(x, y - se, y + se, bins)
    per = -(-n // bins)
    starts = np.arange(0, n, per)
    assert bx.size == 2 * starts.size and np.all(np.diff(bx) >= 0)
    assert np.array_equal(bx[0::2], x[starts]) and np.array_equal(bx[1::2], x[np.minimum(starts + per, n) - 1])
    for k, s in enumerate(starts):
        part = slice(s, s + per)
        lower, upper = (y - se)[part], (y + se)[part]
        if np.all(np.isnan(lower)):
            assert np.isnan(lo[2 * k]) and np.isnan(hi[2 * k])
        else:
            assert lo[2 * k] == lo[2 * k + 1] == np.nanmin(lower) and hi[2 * k] == hi[2 * k + 1] == np.nanmax(upper)


def test_two_bins_per_pixel_of_the_figure_width():
    assert bins_for(7.0, 150) == 2100 and bins_for(3.3, 100) == 660
