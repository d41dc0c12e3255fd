"""Figures of the synaptic responses: the notebook's five panels, and the test step against theory."""
from __future__ import annotations

import numpy as np

from .style import THEORY, new_figure, new_mosaic, style_of

PANELS = [  # variable, panel title (the notebook's equations), axis label
    ("V", r"$\tau_m \dot V = -V + E_m - R_m I_{syn} + R_m I_e$", "V (mV)"),
    ("I_m", r"$I_m = (V - E_m) / R_m$", r"$I_m$ (nA)"),
    ("I_syn", r"$I_{syn} = g_{syn}(V - E_{syn}) + g_{exc}(V - E_{exc}) + g_{inh}(V - E_{inh})$", r"$I_{syn}$ (nA)"),
    ("g_syn", r"$\tau_{syn} \dot g_{syn} = x - g_{syn}$", r"$g_{syn}$ (nS)"),
    ("x", r"$\tau_{syn} \dot x = -x$, x += $g^*$ at a presynaptic spike", "x (nS)"),
]
LEAK = r"1 + R_m (g_{exc} + g_{inh})"


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
    out = {"": fig}
    if "test_step_response" in an:
        out["_test_step"] = plot_test_step(an, opts)
    return out


def plot_test_step(an, opts):
    """Step responses with the closed form, and R_in, tau_eff measured against theory per condition."""
    fig, ax = new_mosaic(opts["width"], 5.2, [["response", "response"], ["R_in", "tau"]])
    conds = [str(c) for c in an["condition"].values]
    t = an["step_time"].values
    t_max = min(float(t[-1]), 5 * float(an["tau_eff_theory"].max()))
    show = t <= t_max
    for i, c in enumerate(conds):
        step = float(an["test_step"].sel(condition=c))
        ax["response"].plot(t[show], an["test_step_response"].sel(condition=c).values[show], lw=1.4,
                            label=f"{c}: {step * 1e3:g} pA step", **style_of(i))
        r_in, tau = float(an["input_resistance_theory"].sel(condition=c)), float(an["tau_eff_theory"].sel(condition=c))
        ax["response"].plot(t[show], step * r_in * (1 - np.exp(-t[show] / tau)), **THEORY,
                            label="closed form" if i == 0 else None)
    ax["response"].set_title(r"$\Delta V(t) = R_{in}\,\Delta I\,(1 - e^{-t/\tau_{eff}})$")
    ax["response"].set_xlabel("time since the step (ms)")
    ax["response"].set_ylabel(r"$\Delta V$ (mV)")
    ax["response"].legend(loc="best")
    x = np.arange(len(conds))
    for key, var, title, label in (("R_in", "input_resistance", rf"$R_{{in}} = R_m / ({LEAK})$", r"$R_{in}$"),
                                   ("tau", "tau_eff", rf"$\tau_{{eff}} = \tau_m / ({LEAK})$", r"$\tau_{eff}$")):
        a = ax[key]
        theory = an[f"{var}_theory"].values
        a.axhline(0.0, **THEORY, label="theory")
        a.plot(x, 100 * (an[var].values / theory - 1), "o", color=style_of(0)["color"], label="measured (test step)")
        if var == "tau_eff":
            a.plot(x, 100 * (an["tau_eff_expected_fit"].values / theory - 1), "x", ms=9, color=style_of(1)["color"],
                   label=r"Euler: $-dt / \ln(1 - dt/\tau_{eff})$")
        a.set_xticks(x, conds)
        a.set_xlim(-0.5, len(conds) - 0.5)
        a.set_title(title)
        a.set_ylabel(f"{label}: measured / theory - 1 (%)")
        a.set_xlabel("condition")
        a.legend(loc="lower left", fontsize=7)
    return fig
