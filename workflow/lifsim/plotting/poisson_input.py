"""Figure of ``poisson_input``: example traces, g's moments against Campbell, output against input rate."""
from __future__ import annotations

from .style import new_figure


def plot_poisson(ds, an, options) -> dict:
    fig, axes = new_figure(options["width"], options["width"] * 0.7, 2, 2)
    (ax_g, ax_v), (ax_m, ax_o) = axes
    t = ds["time"].values
    for rate in ds["rate"].values:
        ax_g.plot(t, ds["g_example"].sel(rate=rate), lw=0.5, label=f"{rate:g} Hz")
        ax_v.plot(t, ds["V_example"].sel(rate=rate), lw=0.5)
    ax_g.set_ylabel("g_syn (nS)")
    ax_g.legend(fontsize=6)
    ax_v.set_ylabel("V (mV)")
    ax_v.set_xlabel("time (ms)")
    ax_g.set_xlabel("time (ms)")
    nu = an["rate"].values
    ax_m.errorbar(nu, an["g_mean"], yerr=an["g_mean_se"], fmt="o", ms=3, label="mean (nS)")
    ax_m.plot(nu, an["g_mean_campbell"], "-", color="C0", lw=0.8)
    ax_m.errorbar(nu, an["g_var"], yerr=an["g_var_se"], fmt="s", ms=3, color="C1", label="variance (nS^2)")
    ax_m.plot(nu, an["g_var_campbell"], "-", color="C1", lw=0.8)
    ax_m.set_xlabel("input rate (Hz)")
    ax_m.set_title("g: measured (markers) and Campbell (lines)", fontsize=8)
    ax_m.legend(fontsize=6)
    ax_o.errorbar(nu, an["output_rate"], yerr=an["output_rate_se"], fmt="o-", ms=3)
    ax_o.set_xlabel("input rate (Hz)")
    ax_o.set_ylabel("output rate (Hz)")
    return {"": fig}
