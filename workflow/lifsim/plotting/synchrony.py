"""Heat maps of the pair_grid analysis: phase difference over the swept grid."""
from __future__ import annotations

import numpy as np

from .style import new_figure


def plot_synchrony(ds, an, opts) -> dict:
    dims = [d for d in an["phase_difference"].dims if d != "condition"]
    if len(dims) < 2:
        raise ValueError(f"a synchrony map needs two swept parameters, got {dims}")
    x_dim, y_dim, *rest = sorted(dims, key=lambda d: -an.sizes[d])[:2] + [d for d in dims if d not in sorted(
        dims, key=lambda d: -an.sizes[d])[:2]]
    panels = [(c, sel) for c in an["condition"].values for sel in _slices(an, rest)]
    ncols = max(1, len(_slices(an, rest)))
    nrows = an.sizes["condition"]
    fig, axes = new_figure(opts["width"], 2.6 * nrows, nrows, ncols, sharex=True, sharey=True)
    image = None
    for ax, (cond, sel) in zip(axes.ravel(), panels):
        data = an["phase_difference"].sel(condition=cond, **sel).transpose(y_dim, x_dim)
        run = an["runaway"].sel(condition=cond, **sel).transpose(y_dim, x_dim).values.astype(bool)
        x, y = an[x_dim].values, an[y_dim].values
        image = ax.pcolormesh(np.arange(x.size + 1), np.arange(y.size + 1), data.values, vmin=0, vmax=0.5,
                              cmap="cividis", shading="flat")
        for j, i in zip(*np.nonzero(run)):
            ax.text(i + 0.5, j + 0.5, "×", ha="center", va="center", color="#D55E00", fontsize=9)
        for j, i in zip(*np.nonzero(~run & np.isnan(data.values))):
            ax.text(i + 0.5, j + 0.5, "–", ha="center", va="center", color="black", fontsize=9)
        ax.set_xticks(np.arange(x.size) + 0.5, [f"{v:g}" for v in x], fontsize=7)
        ax.set_yticks(np.arange(y.size) + 0.5, [f"{v:g}" for v in y], fontsize=7)
        extra = ", ".join(f"{k} = {float(v):g} {an[k].attrs.get('units', '')}" for k, v in sel.items())
        ax.set_title(f"{cond}" + (f", {extra}" if extra else ""))
    for ax in axes[-1]:
        ax.set_xlabel(f"{x_dim} ({an[x_dim].attrs.get('units', '')})")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"{y_dim} ({an[y_dim].attrs.get('units', '')})")
    if image is not None:
        fig.colorbar(image, ax=axes, label="phase difference (0 synchrony, 0.5 alternation)\n× runaway, – a neuron silent")
    return {"": fig}


def _slices(an, rest):
    if not rest:
        return [{}]
    out = [{}]
    for d in rest:
        out = [{**o, d: v} for o in out for v in an[d].values]
    return out
