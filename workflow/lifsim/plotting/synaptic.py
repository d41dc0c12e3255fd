"""Figures of the synaptic responses: the notebook's five panels, the test step against theory, and (with a
sweep) the PSP against each swept parameter beside its first-order limit."""
from __future__ import annotations

import numpy as np

from ..analysis.cases import at, case_list, describe
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
    fig, axes = new_figure(opts["width"], 1.9 * max(1, len(panels)), max(1, len(panels)), 1, sharex=True)
    for ax, (var, title, label) in zip(axes[:, 0], panels):
        dims = [d for d in ds[var].dims if d != "time"]
        for i, sel in enumerate(case_list(ds, dims)):
            ax.plot(ds["time"], ds[var].sel(sel), label=describe(ds, sel), lw=1.2, **style_of(i))
        ax.set_title(title)
        ax.set_ylabel(label)
    if panels:
        axes[0, 0].legend(loc="best", fontsize=6 if len(case_list(an, an["psp_amplitude"].dims)) > 4 else 8)
        axes[-1, 0].set_xlabel("time (ms)")
        axes[-1, 0].set_xlim(float(ds["time"][0]), float(ds["time"][-1]))
    else:
        axes[0, 0].text(0.5, 0.5, "no trace was recorded", ha="center", va="center", transform=axes[0, 0].transAxes)
        axes[0, 0].set_axis_off()
    out = {"": fig}
    if "test_step_response" in an:
        out["_test_step"] = plot_test_step(an, opts)
    if [d for d in an["psp_amplitude"].dims if d != "condition"]:
        out["_sweep"] = plot_sweep(an, opts)
    return out


def plot_test_step(an, opts):
    """Step responses with the closed form, and R_in, tau_eff measured against theory per case."""
    fig, ax = new_mosaic(opts["width"], 5.2, [["response", "response"], ["R_in", "tau"]])
    cases = case_list(an, [d for d in an["test_step_response"].dims if d != "step_time"])
    t = an["step_time"].values
    t_max = min(float(t[-1]), 5 * float(an["tau_eff_theory"].max()))
    show = t <= t_max
    for i, sel in enumerate(cases):
        c = an.sel(sel)
        step = float(c["test_step"])
        ax["response"].plot(t[show], c["test_step_response"].values[show], lw=1.4,
                            label=f"{describe(an, sel)}: {step * 1e3:g} pA step", **style_of(i))
        r_in, tau = float(c["input_resistance_theory"]), float(c["tau_eff_theory"])
        ax["response"].plot(t[show], step * r_in * (1 - np.exp(-t[show] / tau)), **THEORY,
                            label="closed form" if i == 0 else None)
    ax["response"].set_title(r"$\Delta V(t) = R_{in}\,\Delta I\,(1 - e^{-t/\tau_{eff}})$")
    ax["response"].set_xlabel("time since the step (ms)")
    ax["response"].set_ylabel(r"$\Delta V$ (mV)")
    ax["response"].legend(loc="best", fontsize=6 if len(cases) > 4 else 8)
    x = np.arange(len(cases))
    names = [describe(an, sel) for sel in cases]
    euler = "euler" in an["tau_eff_expected_fit"].attrs.get("long_name", "") and not np.allclose(
        an["tau_eff_expected_fit"].values, an["tau_eff_theory"].values, rtol=1e-12, equal_nan=True)
    for key, var, title, label in (("R_in", "input_resistance", rf"$R_{{in}} = R_m / ({LEAK})$", r"$R_{in}$"),
                                   ("tau", "tau_eff", rf"$\tau_{{eff}} = \tau_m / ({LEAK})$", r"$\tau_{eff}$")):
        a = ax[key]
        theory = np.array([at(an[f"{var}_theory"], sel) for sel in cases])
        measured = np.array([at(an[var], sel) for sel in cases])
        a.axhline(0.0, **THEORY, label="theory")
        a.plot(x, 100 * (measured / theory - 1), "o", color=style_of(0)["color"], label="measured (test step)")
        if var == "tau_eff" and euler:
            fit = np.array([at(an["tau_eff_expected_fit"], sel) for sel in cases])
            a.plot(x, 100 * (fit / theory - 1), "x", ms=9, color=style_of(1)["color"],
                   label=r"Euler: $-dt / \ln(1 - dt/\tau_{eff})$")
        a.set_xticks(x, names, fontsize=6 if len(cases) > 4 else 8, rotation=90 if len(cases) > 4 else 0)
        a.set_xlim(-0.5, len(cases) - 0.5)
        a.set_title(title)
        a.set_ylabel(f"{label}: measured / theory - 1 (%)")
        a.set_xlabel("case")
        a.legend(loc="lower left", fontsize=7)
    return fig


def plot_sweep(an, opts):
    """PSP amplitude and peak time against each swept parameter, the first-order (small g_star) limit beside."""
    swept = [d for d in an["psp_amplitude"].dims if d != "condition"]
    fig, axes = new_figure(opts["width"], 2.4 * 3, 3, len(swept), sharex="col")
    for j, dim in enumerate(swept):
        others = [d for d in an["psp_amplitude"].dims if d != dim]
        x = an[dim].values
        unit = an[dim].attrs.get("units", "")
        for i, sel in enumerate(case_list(an, others)):
            c = an.sel(sel)
            style = style_of(i)
            label = describe(an, sel)
            axes[0, j].plot(x, c["psp_amplitude"].values, marker="o", ms=3, lw=1.2, label=label, **style)
            axes[0, j].plot(x, c["psp_linear"].values, color=style["color"], lw=0.9, linestyle=(0, (1, 1)),
                            label="first order in $g^*$" if i == 0 else None)
            axes[1, j].plot(x, c["psp_over_linear"].values, marker="o", ms=3, lw=1.2, **style)
            axes[2, j].plot(x, c["psp_peak_time"].values, marker="o", ms=3, lw=1.2, **style)
            axes[2, j].plot(x, c["psp_linear_peak_time"].values, color=style["color"], lw=0.9,
                            linestyle=(0, (1, 1)))
        axes[1, j].axhline(1.0, **THEORY)
        axes[2, j].set_xlabel(f"{dim} ({unit})")
        if dim == "g_star" and (x > 0).all() and x.max() / x.min() > 20:
            for ax in axes[:, j]:
                ax.set_xscale("log")
    axes[0, 0].set_ylabel("PSP amplitude (mV)")
    axes[1, 0].set_ylabel("PSP / first-order PSP")
    axes[2, 0].set_ylabel("peak after the spike (ms)")
    axes[0, 0].legend(loc="best", fontsize=6)
    fig.suptitle("PSP against the swept parameters; dotted: the first-order (small-conductance) limit", fontsize=9)
    return fig
