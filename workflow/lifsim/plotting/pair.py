"""Figures of the coupled pair: the notebook's traces, all variants, and the long runs (lag, ISI).

Variants are laid out as a grid: one row per set of parameters apart from
t_ref, one column per t_ref value, so that each variant sits next to itself
with a refractory period.
"""
from __future__ import annotations

import json

import numpy as np

from .style import new_figure, style_of


def layout(ds) -> tuple[list, list, dict]:
    """(row labels, t_ref values in ms, {(row, t_ref): condition}) from the jobs' parameters."""
    params = json.loads(ds.attrs["lifsim_params"])
    conds = [str(c) for c in ds["condition"].values]
    neuron = {c: params[c]["neuron"] for c in conds}
    t_refs = sorted({round(neuron[c].get("t_ref", 0.0) * 1e3, 9) for c in conds})
    keys, rows, cells = {}, [], {}
    for c in sorted(conds, key=lambda c: (neuron[c].get("t_ref", 0.0), conds.index(c))):
        key = json.dumps({k: v for k, v in neuron[c].items() if k != "t_ref"}, sort_keys=True)
        if key not in keys:
            keys[key] = c
            rows.append(c)
        cells[(keys[key], round(neuron[c].get("t_ref", 0.0) * 1e3, 9))] = c
    return rows, t_refs, cells


def _pair_axes(ax, ds, cond, title):
    if "V" not in ds:                       # not in the record list: say so on the axes instead of a trace
        ax.text(0.5, 0.5, "V was not recorded (the experiment's record list)", ha="center", va="center",
                transform=ax.transAxes, fontsize=7)
        ax.set_title(title, fontsize=7)
        return
    for n in ds["neuron"].values:
        v0 = float(ds["V_init"].sel(condition=cond, neuron=n))
        ax.plot(ds["time"], ds["V"].sel(condition=cond, neuron=n), lw=1.0,
                label=f"neuron {n}: $V_0$ = {v0:.1f} mV", **style_of(int(n)))
    if "V_thr" in ds:                       # reset off: the run has no threshold to draw
        ax.axhline(float(ds["V_thr"].sel(condition=cond)), color="grey", lw=0.6, linestyle=":")
    ax.set_title(title, fontsize=7)
    ax.set_ylabel("V (mV)")


def plot_pair(ds, an, opts) -> dict:
    swept = [d for d in (an["state"].dims if "state" in an else an["shortfall_max"].dims) if d != "condition"]
    full = an
    if swept:                      # traces and long runs of the first sweep point; the sweep in its own figure
        first = {d: 0 for d in swept}
        ds, an = ds.isel(first), an.isel(first)
    conds = [str(c) for c in ds["condition"].values]
    base = "base" if "base" in conds else conds[0]
    fig, axes = new_figure(opts["width"], 3.0)
    n = ds.sizes.get("neuron", 1)
    count = {1: "one", 2: "two"}.get(n, str(n))
    _pair_axes(axes[0, 0], ds, base, f"Voltage traces of {count} synaptically coupled IF neuron{'s' if n > 1 else ''}")
    axes[0, 0].set_xlabel("time (ms)")
    axes[0, 0].legend(loc="lower right")
    out = {"": fig, "_variants": _grid(ds, an, opts, _variant_panel)}
    if "lag_time" in an:
        out["_lag"] = _grid(ds, an, opts, _lag_panel)
        out["_isi"] = _isi(ds, an, opts)
    if swept and "state" in full:
        out["_sweep"] = plot_sweep(full, opts)
    return out


def plot_sweep(an, opts):
    """Per swept parameter: each follower's locked phase and neuron 0's final rate, marked by the state."""
    from ..analysis.cases import case_list, describe

    swept = [d for d in an["state"].dims if d != "condition"]
    states = an["state"].attrs["flag_meanings"].split()
    markers = dict(zip(states, ["x", "o", "^", "s"]))
    fig, axes = new_figure(opts["width"], 4.8, 2, len(swept), sharex="col")
    for j, dim in enumerate(swept):
        x = an[dim].values
        for i, case in enumerate(case_list(an, [d for d in an["state"].dims if d != dim])):
            c = an.sel(case)
            style = style_of(i)
            state = [states[int(s)] for s in c["state"].values]
            for n in an["neuron"].values[1:]:
                axes[0, j].plot(x, c["locked_phase"].sel(neuron=n).values, lw=0.8, color=style["color"],
                                linestyle=style["linestyle"],
                                label=f"{describe(an, case)}" + (f", neuron {n}" if an.sizes["neuron"] > 2 else ""))
            axes[1, j].plot(x, c["final_rate"].values, lw=0.8, **style)
            for k, name in enumerate(state):
                for row, values in ((0, c["locked_phase"].values[..., 1:][k]), (1, [c["final_rate"].values[k]])):
                    axes[row, j].plot([x[k]] * len(np.atleast_1d(values)), np.atleast_1d(values), markers[name],
                                      color=style["color"], ms=4)
        axes[1, j].set_xlabel(f"{dim} ({an[dim].attrs.get('units', '')})")
    for name, m in markers.items():
        axes[0, 0].plot([], [], m, color="grey", label=name.replace("_", " "))
    axes[0, 0].set_ylabel("phase in neuron 0's cycle")
    axes[1, 0].set_ylabel("final rate of neuron 0 (Hz)")
    axes[0, 0].legend(loc="best", fontsize=6)
    return fig


def _grid(ds, an, opts, draw):
    rows, t_refs, cells = layout(ds)
    fig, axes = new_figure(opts["width"], 0.6 + 1.6 * len(rows), len(rows), len(t_refs), sharex=True)
    for i, row in enumerate(rows):
        for j, t_ref in enumerate(t_refs):
            ax = axes[i, j]
            cond = cells.get((row, t_ref))
            if cond is None:
                ax.set_axis_off()
                continue
            draw(ax, ds, an, cond, t_ref)
    for ax in axes[-1]:
        ax.set_xlabel("time (ms)")
    handles = {}
    for ax in axes.ravel():
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=2, fontsize=7)
    return fig


def _variant_panel(ax, ds, an, cond, t_ref):
    _pair_axes(ax, ds, cond, f"{cond}\n{_changes(ds, cond)}")


def _lag_panel(ax, ds, an, cond, t_ref):
    sel = an.sel(condition=cond)
    followers = [int(n) for n in an["neuron"].values[1:]]
    if followers:
        band = sel.sel(neuron=followers[0])
        t, period = band["lag_time"].values, band["period"].values
        ok = np.isfinite(t)
        ax.fill_between(t[ok], -period[ok] / 2, period[ok] / 2, color="0.88", lw=0, step="post",
                        label=r"$\pm$ half the period of neuron 0")
    for i, n in enumerate(followers):
        one = sel.sel(neuron=n)
        t, lag = one["lag_time"].values, one["spike_time_difference"].values
        ok = np.isfinite(t)
        ax.plot(t[ok], lag[ok], ".", ms=2, color=style_of(i)["color"],
                label=f"neuron {n} - nearer spike of neuron 0")
    onset = float(sel["runaway_onset"])
    if np.isfinite(onset):
        ax.axvline(onset, color=style_of(1)["color"], lw=0.8, linestyle="--", label="runaway onset")
    locked = float(sel["lock_time"])
    if np.isfinite(locked):
        ax.axvline(locked, color=style_of(2)["color"], lw=0.8, linestyle=":", label="locked from")
    ax.set_title(f"{cond}\n{_state(an, cond)}", fontsize=7)
    ax.set_ylabel("lag (ms)")


def _state(an, cond) -> str:
    sel = an.sel(condition=cond)
    name = an["state"].attrs["flag_meanings"].split()[int(sel["state"])]
    if name == "runaway":
        return f"runaway from {float(sel['runaway_onset']):.1f} ms"
    if name == "locked":
        phases = ", ".join(f"{float(p):.2f}" for p in sel["locked_phase"].values[1:])
        return f"locked, phase {phases}, {float(sel['final_rate']):.0f} Hz"
    counts = " vs ".join(str(int(n)) for n in sel["spike_count_long"].values)
    return f"{name.replace('_', ' ')} ({counts} spikes)"


def _isi(ds, an, opts):
    rows, t_refs, cells = layout(ds)
    fig, axes = new_figure(opts["width"], 3.4, 1, len(t_refs), sharey=True)
    threshold = an["runaway_onset"].attrs.get("runaway_isi_ms")
    for j, t_ref in enumerate(t_refs):
        ax = axes[0, j]
        for i, row in enumerate(rows):
            cond = cells.get((row, t_ref))
            if cond is None:
                continue
            sel = an.sel(condition=cond, neuron=0)
            ax.plot(sel["spike_time"], sel["isi"], lw=1.0, label=row, **style_of(i))
        if threshold is not None:
            ax.axhline(float(threshold), color="grey", lw=0.8, linestyle=":", label="runaway_isi")
        ax.set_yscale("log")
        ax.set_title(rf"$t_{{ref}}$ = {t_ref:g} ms")
        ax.set_xlabel("time (ms)")
    axes[0, 0].set_ylabel("inter-spike interval of neuron 0 (ms)")
    fig.legend(*axes[0, -1].get_legend_handles_labels(), loc="outside right upper", fontsize=6)
    return fig


def _changes(ds, cond) -> str:
    params = json.loads(ds.attrs["lifsim_params"])
    conds = [str(c) for c in ds["condition"].values]
    base = params["base" if "base" in conds else conds[0]]["neuron"]
    from ..params import NEURON_PARAMS
    from ..units import DISPLAY_UNITS, to_display

    parts = []
    for name, value in params[cond]["neuron"].items():
        if not np.isclose(value, base.get(name, np.nan), rtol=1e-9, atol=0.0):
            dim = NEURON_PARAMS[name][0]
            parts.append(f"{name} = {to_display(value, dim):g} {DISPLAY_UNITS[dim]}")
    return ", ".join(parts) or "as base"
