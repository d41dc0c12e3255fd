"""Figure of ``stimulus_response``: V (with spike marks) and I per condition."""
from __future__ import annotations

from .style import new_figure


def plot_stimulus(ds, an, options) -> dict:
    from .. import spikes

    conds = list(ds["condition"].values)
    fig, axes = new_figure(options["width"], 1.6 * len(conds) + 0.6, len(conds), 2, sharex=True)
    trains = spikes.trains(ds)
    t = ds["time"].values
    for row, cond in zip(axes, conds, strict=True):
        row[0].plot(t, ds["V"].sel(condition=cond), lw=0.8)
        train = trains.sel(condition=cond).item()
        if train.size:
            row[0].plot(train, [float(ds["V"].max())] * train.size, "|", color="k", ms=6)
        row[0].set_ylabel("V (mV)")
        row[0].set_title(str(cond), fontsize=8, loc="left")
        row[1].plot(t, ds["I"].sel(condition=cond), color="C1", lw=0.8)
        row[1].set_ylabel("I (nA)")
    axes[-1][0].set_xlabel("time (ms)")
    axes[-1][1].set_xlabel("time (ms)")
    return {"": fig}
