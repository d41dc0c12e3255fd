"""Figures of the f-I curve: the notebook's two estimators, and their errors against the analytical rate."""
from __future__ import annotations

import json

from .style import THEORY, new_figure, style_of

TITLES = {"isi": "1 / mean ISI", "count": "spike count / duration"}
RATE = r"$r = 1 / (t_{ref} + \tau_m \ln\frac{R_m I_e + E_m - V_{reset}}{R_m I_e + E_m - V_{thr}})$"


def plot_fi(ds, an, opts) -> dict:
    fig, axes = new_figure(opts["width"], 3.2, 1, 2, sharey=True)
    xdim, I = _x_axis(an)
    for ax, est in zip(axes[0], ["isi", "count"]):
        for i, dur in enumerate(an["duration"].values):
            ax.plot(I, _lines(an["rate"].sel(estimator=est, duration=dur), xdim), label=f"simulated, {dur:g} ms",
                    lw=1.2, **style_of(i))
        theory = an["rate_analytical"]
        ax.plot(I, _lines(theory.isel(duration=0) if "duration" in theory.dims else theory, xdim),
                label="analytical", **THEORY)
        ax.set_title(TITLES[est])
        ax.set_xlabel(_label(an, xdim))
    axes[0, 0].set_ylabel("firing rate (Hz)")
    axes[0, 0].legend(loc="upper left")
    fig.suptitle(RATE, fontsize=9)
    jobs = list(json.loads(ds.attrs["lifsim_params"]).values())
    on_grid = all(j["integrator"] == "euler" for j in jobs)       # exact: spike times inside the step
    return {"": fig, "_error": plot_errors(an, jobs[0]["dt"] * 1e3, opts, on_grid)}


def plot_errors(an, dt_ms, opts, on_grid: bool = True):
    fig, axes = new_figure(opts["width"], 3.6, 1, 2)
    xdim, I = _x_axis(an)
    rheo = float(an["rheobase_theory"])
    theory = an["rate_analytical"]
    theory = theory.isel(duration=0) if "duration" in theory.dims else theory
    grid = (_lines(theory, xdim) ** 2 * dt_ms * 1e-3).max(axis=1)    # Hz: r^2 dt (largest over other dims)
    for ax, est in zip(axes[0], ["isi", "count"]):
        for i, dur in enumerate(an["duration"].values):
            style = style_of(i)
            ax.plot(I, _lines(an["rate_error"].sel(estimator=est, duration=dur), xdim), lw=1.0,
                    label=f"{dur:g} ms", **style)
            if est == "isi" and i == 0 and on_grid:
                ax.fill_between(I, -grid, grid, color="0.88", lw=0, label=r"$\pm r^2\,dt$ (spike times on the grid)")
            if est == "count":
                q = float(an["count_quantum"].sel(duration=dur))
                for sign in (-1, 1):
                    ax.axhline(sign * q, color=style["color"], lw=0.8, linestyle=(0, (4, 2)),
                               label=f"$\\pm$1 / duration = {q:g} Hz" if sign > 0 else None)
        if xdim == "I_e" and rheo == rheo:     # the rheobase is a current: marked on an I_e axis only
            ax.axvline(rheo, **THEORY, label=f"rheobase $(V_{{thr}} - E_m)/R_m$ = {rheo:g} nA")
        ax.set_title(TITLES[est])
        ax.set_xlabel(_label(an, xdim))
        ax.set_ylabel("simulated - analytical rate (Hz)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=6)
    fig.suptitle("Error of each estimator against the analytical rate", fontsize=9)
    return fig


def _x_axis(an):
    """The swept dimension on the x axis: I_e when it is swept, else the first swept parameter."""
    sweep = [d for d in an["rate"].dims if d not in ("estimator", "duration")]
    xdim = "I_e" if "I_e" in sweep else sweep[0]
    return xdim, an[xdim].values


def _lines(da, xdim):
    """(x, lines): one line per combination of the other swept parameters."""
    return da.transpose(xdim, ...).values.reshape(da.sizes[xdim], -1)


def _label(an, xdim):
    return f"{xdim} ({an[xdim].attrs.get('units', '')})" if xdim != "I_e" else r"$I_e$ (nA)"
