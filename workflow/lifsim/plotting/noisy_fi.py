"""Figure of ``noisy_fi_curve``: rates with error bars on the theory lines per noise setting, and the ISI CV.

A dense sweep (more than DENSE currents) draws lines and a band, each reduced to the range of its values per
half pixel of the figure's width (lifsim.plotting.dense), which is what the full lines show at that resolution.
"""
from __future__ import annotations

from ..analysis.noisy_fi import integrators, noise_points, theory_name
from .dense import band, bins_for, min_max
from .style import new_figure

DENSE = 200   # currents above which the rates are drawn as lines with a band instead of dots with error bars


def plot_noisy_fi(ds, an, options) -> dict:
    fig, axes = new_figure(options["width"], options["width"] * 0.42, 1, 2)
    ax_rate, ax_cv = axes[0]
    colors = ["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    integrator, other = integrators(an)
    name = theory_name(an)
    dense = an.sizes["I_e"] > DENSE
    theory = "Siegert" if name == "rate_siegert" else "Fourcaud-Brunel"
    bins = bins_for(options["width"], options["dpi"])
    current = an["I_e"].values

    def line(values):   # a dense sweep's line: each bin's range of values (lifsim.plotting.dense)
        return min_max(current, values, bins) if dense else (current, values)

    for i, (label, sel) in enumerate(noise_points(an)):
        c = colors[i % len(colors)]
        ax_rate.plot(*line(an[name].sel(sel).values), "-", color=c, lw=1.4 if dense else 1,
                     zorder=3 if dense else None, label=f"{theory}, {label}")
        rate = an["rate"].sel(estimator="isi", **sel).values
        se = an["rate_se"].sel(estimator="isi", **sel).fillna(0).values
        if dense:   # a dense sweep: a line with a band of +- SE (markers and error bars would hide it, slowly)
            ax_rate.fill_between(*band(current, rate - se, rate + se, bins), color=c, alpha=0.15, lw=0)
            ax_rate.plot(*line(rate), "-", lw=0.5, color=c, alpha=0.4)
        else:
            ax_rate.errorbar(current, rate, yerr=se, fmt="o", ms=3, color=c, capsize=2)
        if other:
            ax_rate.plot(*line(an["rate_compare"].sel(estimator="isi", **sel).values), ":" if dense else "x", ms=4,
                         color=c)
        ax_cv.plot(*line(an["cv_isi"].sel(sel).values), "-" if dense else "o-", ms=3, color=c,
                   label=label.split("= ", 1)[1] if len(sel) == 1 else label)
    ax_rate.set_xlabel("I_e (nA)")
    ax_rate.set_ylabel("rate (Hz)")
    ax_rate.set_title(f"1 / mean ISI ({integrator}: " + ("line, band +- SE" if dense else "dots +- SE")
                      + (f"; {other}: " + ("dotted" if dense else "x") if other else "") + ")", fontsize=8)
    ax_rate.legend(fontsize=6, loc="upper left" if dense else "best")   # "best" is slow over dense data
    ax_cv.set_xlabel("I_e (nA)")
    ax_cv.set_ylabel("CV of the ISIs")
    ax_cv.legend(fontsize=6, title="sigma" if "sigma" in an.dims else "OU current", title_fontsize=6,
                 loc="upper right" if dense else "best")
    return {"": fig}
