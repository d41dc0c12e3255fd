"""The convergence figure: each error against dt on log-log axes, with the fitted order per integrator.

The noise case has a panel of its own: the signed rate error against Siegert (linear axis, in %) with
error bars of one standard error, filled markers where the error exceeds 3 standard errors, and Euler's
grid-threshold asymptote."""
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


def _noise_label(an, integrator: str, sigma: float) -> str:
    order = float(an["noise_rate_error_order"].sel(integrator=integrator, sigma=sigma))
    fit = "not resolved (< 3 SE)" if np.isnan(order) else f"order {order:.2f}"
    return f"{integrator}, sigma {sigma:g} mV: {fit}"


def plot_noise(ax, ds, an) -> None:
    """The noise case: signed ISI-rate error against Siegert, +-1 SE bars, Euler's asymptote dotted."""
    for j, sigma in enumerate(ds["sigma"].values):
        for i, integ in enumerate(ds["integrator"].values):
            sel = {"integrator": integ, "sigma": sigma}
            err = 100 * ds["noise_rate_error"].sel(sel).values
            se = 100 * ds["noise_rate_error_se"].sel(sel).values
            dt = ds["dt"].values
            ran = np.isfinite(err)
            resolved = an["noise_rate_error_resolved"].sel(sel).values == 1
            ax.errorbar(dt[ran], err[ran], yerr=se[ran], color=PALETTE[i], linestyle=LINESTYLES[j], lw=1.2,
                        marker="o", ms=4, mfc="white", capsize=2, label=_noise_label(an, str(integ), float(sigma)))
            ax.plot(dt[resolved], err[resolved], "o", ms=4, color=PALETTE[i], zorder=3)
        theory = 100 * an["noise_rate_error_grid_threshold"].sel(sigma=sigma).values
        ax.plot(ds["dt"].values, theory, color="black", lw=1.0, linestyle=(0, (1, 1 + j)),
                label="euler's grid-threshold asymptote (each sigma)" if j == 0 else None)
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xscale("log")
    ax.set_xticks(ds["dt"].values, [f"{v:g}" for v in ds["dt"].values])
    ax.minorticks_off()
    ax.set_title("noisy f-I: ISI rate vs Siegert rate (bars: 1 SE; filled: beyond 3 SE)")
    ax.set_ylabel("relative rate error (%)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2)


def plot_convergence(ds, an, opts) -> dict:
    panels = [p for p in PANELS if p[0] in ds]
    noise = "noise_rate_error" in ds
    rows = len(panels) + noise
    fig, axes = new_figure(opts["width"], 2.6 * rows + 0.8 * noise, rows, 1, sharex=True)
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
    if noise:
        plot_noise(axes[-1, 0], ds, an)
    axes[-1, 0].set_xlabel("time step dt (ms)")
    return {"": fig}
