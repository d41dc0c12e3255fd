"""One figure style for every lifsim figure: colour-blind-safe colours, units on every axis."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette (yellow last: it is faint on white).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
LINESTYLES = ["-", "--", ":", "-."]

RC = {"axes.spines.top": False, "axes.spines.right": False, "font.size": 9, "axes.titlesize": 9,
      "legend.frameon": False, "legend.fontsize": 8, "svg.hashsalt": "lifsim", "pdf.compression": 6}


def new_figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw):
    """A Figure (no pyplot state) and its axes."""
    matplotlib.rcParams.update(RC)
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def new_mosaic(width: float, height: float, mosaic, **kw):
    """A Figure and a dict of named axes laid out by ``mosaic`` (see Figure.subplot_mosaic)."""
    matplotlib.rcParams.update(RC)
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplot_mosaic(mosaic, **kw)


THEORY = {"color": "black", "lw": 1.0, "linestyle": (0, (1, 1))}   # closed forms: black dotted


def style_of(i: int) -> dict:
    return {"color": PALETTE[i % len(PALETTE)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}
