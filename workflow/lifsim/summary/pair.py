"""Summary of coupled neurons: runaway, locking and suppression per case, what the notebook saw.

A case is a condition (and a point of any sweep); neuron 0 is the reference
the other neurons' lags are measured to. With two neurons the text reads as
the notebook's pair; with more, per-neuron values are listed by neuron.
"""
from __future__ import annotations

import numpy as np

from ..analysis.cases import at, describe
from ..analysis.pair import STATES
from .common import case_list, clean, condition_params, integrator_of, num, table

NETWORK = ("runaway_onset", "every_step_onset", "lock_time", "final_rate", "shortfall_max", "shortfall_median")
PER_NEURON = ("locked_phase", "locked_lag", "lag_range")


def values(an, sel: dict) -> dict:
    """The numbers of one case: network scalars, the state, and per follower neuron (1..N-1) the lock."""
    x = {k: at(an[k], sel) for k in NETWORK if k in an}
    if "state" in an:
        x["state"] = STATES[int(an["state"].sel(sel))]
        x["spike_count_long"] = [int(n) for n in an["spike_count_long"].sel(sel).values]
        x["followers"] = {int(n): {k: float(an[k].sel(sel).sel(neuron=n)) for k in PER_NEURON}
                          for n in an["neuron"].values[1:]}
    return x


def summary(ds, an) -> tuple[dict, str]:
    dims = [d for d in (an["state"].dims if "state" in an else an["shortfall_max"].dims)]
    cases = case_list(an, dims)
    v = {describe(an, sel): values(an, sel) for sel in cases}
    names = list(v)
    measured = {c: _json(x) for c, x in v.items()}
    params = condition_params(ds)
    dt = next(iter(params.values()))["dt"] * 1e3
    short = max(p["duration"] for p in params.values()) * 1e3
    text = []
    if "state" in an:
        text.append(_states(v, names, float(an["analysis_duration"]), params, dt))
        text.append(_synchrony(an, v, cases, short, dt))
        text.append(_refractory(v, params, names, cases))
    if "shortfall_max" in an and np.isfinite(an["shortfall_max"].values).any():
        text.append(_early_reset(v, names, short, integrator_of(ds)))
    elif "shortfall_max" in an:
        text.append(f"**\"Early reset\".** Not measured: {an['shortfall_max'].attrs.get('comment', 'no spike')}.")
    header = ["case", "state", "runaway (ms)", "every step (ms)", "locked from (ms)", "phase", "lag (ms)",
              "lag range (ms)", "final rate (Hz)", "shortfall max (mV)"]
    rows = [[c, x.get("state", "n/a"), num(x.get("runaway_onset"), 1), num(x.get("every_step_onset"), 1),
             num(x.get("lock_time"), 1), _each(x, "locked_phase", 3), _each(x, "locked_lag", 2),
             _each(x, "lag_range", 2), num(x.get("final_rate"), 1), num(x.get("shortfall_max"), 2)]
            for c, x in v.items()]
    return measured, "\n\n".join([t for t in text if t] + [table(header, rows)])


def _json(x: dict) -> dict:
    out = {k: (clean(val) if isinstance(val, float) else val) for k, val in x.items() if k != "followers"}
    for key in PER_NEURON if "followers" in x else ():
        out[key] = {str(n): clean(f[key]) for n, f in x["followers"].items()}
    return out


def _each(x: dict, key: str, digits: int) -> str:
    """One follower's value as a number; several as 'neuron 1: a, neuron 2: b'."""
    f = x.get("followers", {})
    if not f:
        return "n/a"
    if len(f) == 1:
        return num(next(iter(f.values()))[key], digits)
    return ", ".join(f"neuron {n}: {num(val[key], digits)}" for n, val in f.items())


def _states(v, names, long, params, dt) -> str:
    by = {s: [c for c in names if v[c]["state"] == s] for s in STATES}
    parts = [f"**Long runs ({long:g} ms).**"]
    if by["runaway"]:
        steps = [1e3 / v[c]["final_rate"] / dt for c in by["runaway"] if v[c]["final_rate"] > 0]
        t_refs = {params[_condition(c)]["neuron"].get("t_ref", 0.0) for c in by["runaway"]}
        parts.append("Runaway (an inter-spike interval <= runaway_isi): " + "; ".join(
            f"{c} from {num(v[c]['runaway_onset'], 1)} ms" + (f", a neuron firing on two consecutive steps "
                                                              f"from {num(v[c]['every_step_onset'], 1)} ms"
                                                              if np.isfinite(v[c]["every_step_onset"]) else "")
            for c in by["runaway"]) + ". Each spike adds excitation that brings the next one earlier"
            + ("; without a refractory period" if t_refs == {0.0} else "")
            + (f" nothing stops this before neuron 0's final interval is {num(min(steps), 0)}"
               + (f"-{num(max(steps), 0)}" if round(max(steps)) != round(min(steps)) else "")
               + " time step(s)" if steps else "") + ".")
    if by["locked"]:
        parts.append("Locked: " + "; ".join(
            f"{c} from {num(v[c]['lock_time'], 1)} ms at phase {_each(v[c], 'locked_phase', 3)} (lag "
            f"{_each(v[c], 'locked_lag', 2)} ms, range {_each(v[c], 'lag_range', 2)} ms) at "
            f"{num(v[c]['final_rate'], 1)} Hz" for c in by["locked"]) + " (phase 0: together, 0.5: alternating).")
    if by["suppression"]:
        parts.append("Suppression (a neuron fires less than half as often as the most active one over the last "
                     "half): " + "; ".join(f"{c} ({' vs '.join(str(n) for n in v[c]['spike_count_long'])} spikes)"
                                           for c in by["suppression"]) + ".")
    if by["not_locked"]:
        parts.append("Not locked: " + ", ".join(by["not_locked"]) + ".")
    return " ".join(parts)


def _condition(case: str) -> str:
    return case.split(",")[0]


def _synchrony(an, v, cases, short, dt) -> str:
    """What the notebook's 'synchronisation' was: does the lag shrink because the period does, or the phase?"""
    rows, period_led = [], []
    for sel in cases:
        c = describe(an, sel)
        if v[c]["state"] != "runaway":
            continue
        for n in v[c]["followers"]:
            one = an.sel(sel).sel(neuron=n)
            t = one["lag_time"].values
            use = np.flatnonzero(np.isfinite(t) & (t <= short))
            if use.size < 2:
                continue
            a, b = use[0], use[-1]
            lag, period, phase = (one[k].values for k in ("spike_time_difference", "period", "phase"))
            apart = [min(phase[i], 1 - phase[i]) for i in (a, b)]   # distance from firing together, in periods
            shrink = {"lag": abs(lag[a] / lag[b]), "period": period[a] / period[b], "apart": apart[0] / apart[1]}
            period_led.append(shrink["period"] > shrink["apart"])
            who = f"{c}" + (f", neuron {n}" if len(v[c]["followers"]) > 1 else "")
            rows.append(f"{who}: lag magnitude {num(abs(lag[a]), 1)} -> {num(abs(lag[b]), 1)} ms "
                        f"(/{num(shrink['lag'], 1)}), period {num(period[a], 1)} -> {num(period[b], 1)} ms "
                        f"(/{num(shrink['period'], 1)}), phase {num(phase[a], 2)} -> {num(phase[b], 2)} "
                        f"(/{num(shrink['apart'], 1)} in distance from firing together); in the long run "
                        f"{_short_state(v[c])}, final phase {num(v[c]['followers'][n]['locked_phase'], 2)}")
    if not rows:
        return ""
    if all(period_led):
        why = ("In each, the spike-time difference shrinks more because the period shrinks (the neurons speed up, "
               "the start of the runaway) than because the phase moves towards firing together")
    elif not any(period_led):
        why = "In each, the phase moves towards firing together by more than the period shrinks"
    else:
        why = "In some the period shrinks by more than the phase moves, in others the reverse"
    return (f"**\"Synchronisation\".** Over the first {short:g} ms (the figure runs) " + "; ".join(rows)
            + f". {why}; none of them is locked in the long run.")


def _refractory(v, params, names, cases) -> str:
    """Each case with t_ref > 0 against the same case without it (other parameters and sweep point equal)."""
    def key(c):
        neuron = params[_condition(c)]["neuron"]
        return (tuple(sorted((k, x) for k, x in neuron.items() if k != "t_ref")), c.partition(",")[2])

    t_ref = {c: params[_condition(c)]["neuron"].get("t_ref", 0.0) for c in names}
    base = {key(c): c for c in names if t_ref[c] == 0.0}
    rows = [f"{base[key(c)]}: {_short_state(v[base[key(c)]])} -> {_short_state(v[c])}"
            for c in names if t_ref[c] > 0 and key(c) in base]
    if not rows:
        return ""
    values = sorted({t_ref[c] * 1e3 for c in names if t_ref[c] > 0})
    return (f"**Refractory period** (t_ref = {', '.join(f'{x:g}' for x in values)} ms against none): "
            + "; ".join(rows) + ".")


def _early_reset(v, names, short, integrator) -> str:
    worst = max(names, key=lambda c: v[c]["shortfall_max"] if np.isfinite(v[c]["shortfall_max"]) else -np.inf)
    others = [v[c]["shortfall_max"] for c in names if c != worst and np.isfinite(v[c]["shortfall_max"])]
    how = ("V crosses V_thr within one time step and is reset at the end of that step" if integrator == "euler"
           else "V reaches V_thr inside a time step (the exact integrator places the crossing there) and is "
                "reset at that moment")
    return (f"**\"Early reset\".** In the {short:g} ms runs the last sample before a reset lies up to "
            f"{num(v[worst]['shortfall_max'], 2)} mV below V_thr ({worst}; median over its spikes "
            f"{num(v[worst]['shortfall_median'], 2)} mV"
            + (f"; other cases up to {num(max(others), 2)} mV" if others else "") + f"). {how}; "
            + ("with strong synaptic drive one step moves V by millivolts, so the drawn trace turns down below the "
               "threshold" if v[worst]["shortfall_max"] >= 1.0 else "one step moves V by less than a millivolt here")
            + ". The reset is not early: the sample at threshold is simply never drawn.")


def _short_state(x) -> str:
    if x["state"] == "runaway":
        return f"runaway at {num(x['runaway_onset'], 1)} ms"
    if x["state"] == "locked":
        return f"locked at phase {_each(x, 'locked_phase', 2)}, {num(x['final_rate'], 0)} Hz"
    if x["state"] == "suppression":
        return f"suppression ({' vs '.join(str(n) for n in x['spike_count_long'])} spikes)"
    return f"not locked, {num(x['final_rate'], 0)} Hz"
