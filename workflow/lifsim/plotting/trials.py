"""Figure of the trials from different initial voltages: traces, and the lag behind trial 0 at each spike;
with a sweep, the lag and the period against each swept parameter beside the closed forms."""
from __future__ import annotations

import numpy as np

from ..analysis.cases import case_list, describe
from .style import THEORY, new_figure, style_of


def plot_trials(ds, an, opts) -> dict:
    fig, axes = new_figure(opts["width"], 5.2, 2, 1, sharex=True, height_ratios=[3, 2])
    ax, lag_ax = axes[0, 0], axes[1, 0]
    cases = case_list(an, [d for d in an["lag_mean"].dims if d != "trial"])
    many = len(cases) > 1
    i = 0
    for case in cases:
        for trial in ds["trial"].values:
            v0 = float(ds["V_init"].sel(case).sel(trial=trial))
            label = f"$V_0$ = {v0:.2f} mV" + (f" ({describe(an, case)})" if many else "")
            style = style_of(i)
            if "V" in ds:
                ax.plot(ds["time"], ds["V"].sel(case).sel(trial=trial), label=label, lw=1.2, **style)
            sel = an.sel(case).sel(trial=trial)
            lag_ax.plot(sel["spike_time"], sel["lag"], marker="o", lw=1.0, label=label, **style)
            if np.isfinite(float(sel["lag_theory"])):
                lag_ax.axhline(float(sel["lag_theory"]), color=style["color"], lw=0.8, linestyle=(0, (1, 2)))
            i += 1
    ax.set_title("Integrate-and-fire neuron from different initial voltages")
    ax.set_ylabel("V (mV)")
    if ax.lines:
        ax.legend(loc="lower right", fontsize=6 if i > 6 else 8)
    lag_ax.set_title(r"Lag behind trial 0 at each spike (dotted: $\tau \ln\frac{V_\infty - V_0}{V_\infty - V_{thr}}$ "
                     "differences)")
    lag_ax.set_xlabel("time (ms)")
    lag_ax.set_ylabel("lag (ms)")
    out = {"": fig}
    if [d for d in an["lag_mean"].dims if d not in ("condition", "trial")]:
        out["_sweep"] = plot_sweep(an, opts)
    return out


def plot_sweep(an, opts):
    """Mean lag behind trial 0 (per trial) and the inter-spike interval against each swept parameter."""
    swept = [d for d in an["lag_mean"].dims if d not in ("condition", "trial")]
    fig, axes = new_figure(opts["width"], 4.8, 2, len(swept), sharex="col")
    for j, dim in enumerate(swept):
        x = an[dim].values
        others = [d for d in an["lag_mean"].dims if d not in (dim, "trial")]
        k = 0
        for case in case_list(an, others):
            c = an.sel(case)
            for trial in an["trial"].values[1:]:
                style = style_of(k)
                t = c.sel(trial=trial)
                axes[0, j].plot(x, t["lag_mean"].values, marker="o", ms=3, lw=1.2,
                                label=f"trial {int(trial)}, {describe(an, case)}", **style)
                axes[0, j].plot(x, t["lag_theory"].values, color=style["color"], lw=0.8, linestyle=(0, (1, 1)))
                k += 1
            isi = c["isi"].mean(("trial", "spike_index"))
            axes[1, j].plot(x, isi.values, marker="o", ms=3, lw=1.2, color=style_of(0)["color"],
                            label=f"mean ISI, {describe(an, case)}")
            axes[1, j].plot(x, c["period_theory"].values, **THEORY, label="closed form")
        axes[1, j].set_xlabel(f"{dim} ({an[dim].attrs.get('units', '')})")
    axes[0, 0].set_ylabel("mean lag behind trial 0 (ms)")
    axes[1, 0].set_ylabel("inter-spike interval (ms)")
    axes[0, 0].legend(loc="best", fontsize=6)
    fig.suptitle("Trials against the swept parameters; dotted: the closed forms", fontsize=9)
    return fig
