"""The convergence figure: each error against dt on log-log axes, with the fitted order per integrator."""
from __future__ import annotations

import numpy as np

from .style import LINESTYLES, PALETTE, new_figure

PANELS = [  # variable, title, y label
    ("rate_error", "f-I curve: ISI rate vs analytical rate", "largest relative rate error"),
    ("trace_error", "synaptic response: V vs reference", "largest |V - V_ref| (mV)"),
    ("spike_time_error", "coupled pair: spike times vs reference", "largest |t - t_ref| (ms)"),
]


def _label(an, name: str, integrator: str, condition=None) -> str:
    sel = {"integrator": integrator} | ({"condition": condition} if condition is not None else {})
    order = float(an[f"{name}_order"].sel(sel))
    text = f"{integrator}" + (f", {condition}" if condition is not None else "")
    if bool(an[f"{name}_at_rounding"].sel(sel)):
        return f"{text}: rounding only, no dt dependence"
    return f"{text}: order {order:.2f}"


def plot_convergence(ds, an, opts) -> dict:
    panels = [p for p in PANELS if p[0] in ds]
    fig, axes = new_figure(opts["width"], 2.6 * len(panels), len(panels), 1, sharex=True)
    dt = ds["dt"].values
    for ax, (name, title, ylabel) in zip(axes[:, 0], panels):
        var = ds[name]
        conditions = list(var["condition"].values) if "condition" in var.dims else [None]
        for i, integ in enumerate(ds["integrator"].values):
            for j, cond in enumerate(conditions):
                sel = {"integrator": integ} | ({"condition": cond} if cond is not None else {})
                err = var.sel(sel).values
                ax.plot(dt, np.where(err > 0, err, np.nan), marker="o", ms=3, lw=1.2, color=PALETTE[i],
                        linestyle=LINESTYLES[j], label=_label(an, name, str(integ), cond))
        floor = float(an[f"{name}_order"].attrs["floor"])
        ax.axhline(floor, color="grey", lw=0.8, linestyle=":", label="floor: rounding or reference error (not fitted)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(dt, [f"{v:g}" for v in dt])
        ax.minorticks_off()
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(loc="best")
    axes[-1, 0].set_xlabel("time step dt (ms)")
    return {"": fig}
