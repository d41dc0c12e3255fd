"""Figure of the trials from different initial voltages: traces, and the lag behind trial 0 at each spike."""
from __future__ import annotations

from .style import new_figure, style_of


def plot_trials(ds, an, opts) -> dict:
    fig, axes = new_figure(opts["width"], 5.2, 2, 1, sharex=True, height_ratios=[3, 2])
    ax, lag_ax = axes[0, 0], axes[1, 0]
    i = 0
    many = ds.sizes["condition"] > 1
    for cond in ds["condition"].values:
        for trial in ds["trial"].values:
            v0 = float(ds["V_init"].sel(condition=cond, trial=trial))
            label = f"$V_0$ = {v0:.2f} mV" + (f" ({cond})" if many else "")
            style = style_of(i)
            ax.plot(ds["time"], ds["V"].sel(condition=cond, trial=trial), label=label, lw=1.2, **style)
            sel = an.sel(condition=cond, trial=trial)
            lag_ax.plot(sel["spike_time"], sel["lag"], marker="o", lw=1.0, label=label, **style)
            lag_ax.axhline(float(sel["lag_theory"]), color=style["color"], lw=0.8, linestyle=(0, (1, 2)))
            i += 1
    ax.set_title("Integrate-and-fire neuron from different initial voltages")
    ax.set_ylabel("V (mV)")
    ax.legend(loc="lower right")
    lag_ax.set_title(r"Lag behind trial 0 at each spike (dotted: $\tau \ln\frac{V_\infty - V_0}{V_\infty - V_{thr}}$ "
                     "differences)")
    lag_ax.set_xlabel("time (ms)")
    lag_ax.set_ylabel("lag (ms)")
    return {"": fig}
