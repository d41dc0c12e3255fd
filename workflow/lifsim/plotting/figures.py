"""The figures of each experiment kind: dataset (and analysis) in, matplotlib Figures out."""
from __future__ import annotations

import numpy as np

from .convergence import plot_convergence
from .style import new_figure, style_of
from .synchrony import plot_synchrony

PANELS = [  # variable, panel title (the notebook's equations), axis label
    ("V", r"$\tau_m \dot V = -V + E_m - R_m I_{syn} + R_m I_e$", "V (mV)"),
    ("I_m", r"$I_m = (V - E_m) / R_m$", r"$I_m$ (nA)"),
    ("I_syn", r"$I_{syn} = g_{syn}(V - E_{syn}) + g_{exc}(V - E_{exc}) + g_{inh}(V - E_{inh})$", r"$I_{syn}$ (nA)"),
    ("g_syn", r"$\tau_{syn} \dot g_{syn} = x - g_{syn}$", r"$g_{syn}$ (nS)"),
    ("x", r"$\tau_{syn} \dot x = -x$, x += $g^*$ at a presynaptic spike", "x (nS)"),
]


def plot_synaptic(ds, an, opts) -> dict:
    panels = [p for p in PANELS if p[0] in ds]
    fig, axes = new_figure(opts["width"], 1.9 * len(panels), len(panels), 1, sharex=True)
    for ax, (var, title, label) in zip(axes[:, 0], panels):
        for i, cond in enumerate(ds["condition"].values):
            ax.plot(ds["time"], ds[var].sel(condition=cond), label=str(cond), lw=1.2, **style_of(i))
        ax.set_title(title)
        ax.set_ylabel(label)
    axes[0, 0].legend(loc="best")
    axes[-1, 0].set_xlabel("time (ms)")
    axes[-1, 0].set_xlim(float(ds["time"][0]), float(ds["time"][-1]))
    return {"": fig}


def plot_trials(ds, an, opts) -> dict:
    fig, axes = new_figure(opts["width"], 3.2)
    ax = axes[0, 0]
    i = 0
    for cond in ds["condition"].values:
        for trial in ds["trial"].values:
            v0 = float(ds["V_init"].sel(condition=cond, trial=trial))
            label = f"$V_0$ = {v0:.2f} mV" + (f" ({cond})" if ds.sizes["condition"] > 1 else "")
            ax.plot(ds["time"], ds["V"].sel(condition=cond, trial=trial), label=label, lw=1.2, **style_of(i))
            i += 1
    ax.set_title("Integrate-and-fire neuron from different initial voltages")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("V (mV)")
    ax.legend(loc="lower right")
    return {"": fig}


def plot_fi(ds, an, opts) -> dict:
    fig, axes = new_figure(opts["width"], 3.2, 1, 2, sharey=True)
    titles = {"isi": "1 / mean ISI", "count": "spike count / duration"}
    I = an["I_e"].values
    for ax, est in zip(axes[0], ["isi", "count"]):
        for i, dur in enumerate(an["duration"].values):
            ax.plot(I, an["rate"].sel(estimator=est, duration=dur), label=f"simulated, {dur:g} ms",
                    lw=1.2, **style_of(i))
        ax.plot(I, an["rate_analytical"], label="analytical", color="black", lw=1.0, linestyle=(0, (1, 1)))
        ax.set_title(titles[est])
        ax.set_xlabel(r"$I_e$ (nA)")
    axes[0, 0].set_ylabel("firing rate (Hz)")
    axes[0, 0].legend(loc="upper left")
    return {"": fig}


def _pair_axes(ax, ds, cond, title):
    for n in ds["neuron"].values:
        v0 = float(ds["V_init"].sel(condition=cond, neuron=n))
        ax.plot(ds["time"], ds["V"].sel(condition=cond, neuron=n), lw=1.2,
                label=f"neuron {n}: $V_0$ = {v0:.1f} mV", **style_of(int(n)))
    ax.axhline(float(ds["V_thr"].sel(condition=cond)), color="grey", lw=0.6, linestyle=":")
    ax.set_title(title)
    ax.set_ylabel("V (mV)")


def plot_pair(ds, an, opts) -> dict:
    conds = [str(c) for c in ds["condition"].values]
    base = "base" if "base" in conds else conds[0]
    fig, axes = new_figure(opts["width"], 3.0)
    _pair_axes(axes[0, 0], ds, base, "Two synaptically coupled IF neurons")
    axes[0, 0].set_xlabel("time (ms)")
    axes[0, 0].legend(loc="lower right")
    out = {"": fig}
    others = [c for c in conds if c != base] or [base]
    fig2, axes2 = new_figure(opts["width"], 2.4 * len(others), len(others), 1, sharex=True)
    for ax, cond in zip(axes2[:, 0], others):
        _pair_axes(ax, ds, cond, f"{cond}: " + _changes(ds, base, cond))
    axes2[-1, 0].set_xlabel("time (ms)")
    axes2[0, 0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    out["_variants"] = fig2
    return out


def _changes(ds, base, cond) -> str:
    parts = []
    for name, var in ds.data_vars.items():
        if var.dims == ("condition",) and var.dtype.kind == "f" and name != "runaway_onset":
            a, b = float(var.sel(condition=base)), float(var.sel(condition=cond))
            if not np.isclose(a, b):
                parts.append(f"{name} = {b:g} {var.attrs.get('units', '')}")
    return ", ".join(parts) or "as base"


PLOTTERS = {"synaptic_response": plot_synaptic, "initial_conditions": plot_trials, "fi_curve": plot_fi,
            "coupled_pair": plot_pair, "pair_grid": plot_synchrony, "convergence": plot_convergence}
