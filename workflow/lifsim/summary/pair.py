"""Summary of the coupled pair: runaway, locking and suppression per variant, what the notebook saw."""
from __future__ import annotations

import numpy as np

from ..analysis.pair import STATES
from .common import clean, job_params, num, table

KEYS = ("runaway_onset", "every_step_onset", "lock_time", "locked_phase", "locked_lag", "lag_range", "final_rate",
        "shortfall_max", "shortfall_median")


def summary(ds, an) -> tuple[dict, str]:
    conds = [str(c) for c in an["condition"].values]
    params = job_params(ds)
    v = {c: {k: float(an[k].sel(condition=c)) for k in KEYS if k in an} for c in conds}
    if "state" in an:
        for c in conds:
            v[c]["state"] = STATES[int(an["state"].sel(condition=c))]
            v[c]["spike_count_long"] = [int(n) for n in an["spike_count_long"].sel(condition=c).values]
    measured = {c: {k: (clean(x) if isinstance(x, float) else x) for k, x in v[c].items()} for c in conds}
    short = max(p["duration"] for p in params.values()) * 1e3
    text = []
    if "state" in an:
        long = float(an["analysis_duration"])
        text.append(_states(v, conds, long))
        text.append(_synchrony(an, v, conds, short))
        text.append(_refractory(v, params, conds))
    if "shortfall_max" in an:
        worst = max(conds, key=lambda c: v[c]["shortfall_max"])
        text.append(
            f"**\"Early reset\".** In the {short:g} ms runs the last sample before a reset lies up to "
            f"{num(v[worst]['shortfall_max'], 2)} mV below V_thr ({worst}; median over its spikes "
            f"{num(v[worst]['shortfall_median'], 2)} mV; other variants up to "
            f"{num(max(v[c]['shortfall_max'] for c in conds if c != worst), 2)} mV). V crosses V_thr within one "
            "time step and is reset at the end of that step; with strong synaptic drive one step moves V by "
            "millivolts, so the drawn trace turns down below the threshold. The reset is not early: the sample "
            "at threshold is simply never drawn.")
    header = ["variant", "state", "runaway (ms)", "every step (ms)", "locked from (ms)", "phase", "lag (ms)",
              "lag range (ms)", "final rate (Hz)", "shortfall max (mV)"]
    rows = [[c, v[c].get("state", "n/a"), num(v[c].get("runaway_onset"), 1), num(v[c].get("every_step_onset"), 1),
             num(v[c].get("lock_time"), 1), num(v[c].get("locked_phase"), 3), num(v[c].get("locked_lag"), 2),
             num(v[c].get("lag_range"), 2), num(v[c].get("final_rate"), 1), num(v[c].get("shortfall_max"), 2)]
            for c in conds]
    return measured, "\n\n".join([t for t in text if t] + [table(header, rows)])


def _states(v, conds, long) -> str:
    by = {s: [c for c in conds if v[c]["state"] == s] for s in STATES}
    parts = [f"**Long runs ({long:g} ms).**"]
    if by["runaway"]:
        parts.append("Runaway (an inter-spike interval <= runaway_isi): " + "; ".join(
            f"{c} from {num(v[c]['runaway_onset'], 1)} ms" + (f", both neurons firing on every step from "
                                                              f"{num(v[c]['every_step_onset'], 1)} ms"
                                                              if np.isfinite(v[c]["every_step_onset"]) else "")
            for c in by["runaway"]) + ". Each spike adds excitation that brings the next one earlier; without a "
            "refractory period nothing stops this until the time step does.")
    if by["locked"]:
        parts.append("Locked: " + "; ".join(
            f"{c} from {num(v[c]['lock_time'], 1)} ms at phase {num(v[c]['locked_phase'], 3)} (lag "
            f"{num(v[c]['locked_lag'], 2)} ms, range {num(v[c]['lag_range'], 2)} ms) at {num(v[c]['final_rate'], 1)} Hz"
            for c in by["locked"]) + " (phase 0: together, 0.5: alternating).")
    if by["suppression"]:
        parts.append("Suppression (one neuron fires less than half as often as the other over the last half): "
                     + "; ".join(f"{c} ({v[c]['spike_count_long'][0]} vs {v[c]['spike_count_long'][1]} spikes)"
                                 for c in by["suppression"]) + ".")
    if by["not_locked"]:
        parts.append("Not locked: " + ", ".join(by["not_locked"]) + ".")
    return " ".join(parts)


def _synchrony(an, v, conds, short) -> str:
    """What the notebook's 'synchronisation' was: the lag shrinks because the period does; the phase stays."""
    rows = []
    for c in conds:
        if v[c]["state"] != "runaway":
            continue
        t = an["lag_time"].sel(condition=c).values
        use = np.flatnonzero(np.isfinite(t) & (t <= short))
        if use.size < 2:
            continue
        a, b = use[0], use[-1]
        lag, period, phase = (an[k].sel(condition=c).values for k in ("spike_time_difference", "period", "phase"))
        apart = [min(phase[i], 1 - phase[i]) for i in (a, b)]   # distance from firing together, in periods
        rows.append(f"{c}: lag magnitude {num(abs(lag[a]), 1)} -> {num(abs(lag[b]), 1)} ms "
                    f"(/{num(abs(lag[a] / lag[b]), 1)}), "
                    f"period {num(period[a], 1)} -> {num(period[b], 1)} ms (/{num(period[a] / period[b], 1)}), "
                    f"phase {num(phase[a], 2)} -> {num(phase[b], 2)} (/{num(apart[0] / apart[1], 1)} in distance "
                    f"from firing together); in the long run {_short_state(v[c])}, final phase "
                    f"{num(v[c]['locked_phase'], 2)}")
    if not rows:
        return ""
    return (f"**\"Synchronisation\".** Over the first {short:g} ms (the notebook's runs) " + "; ".join(rows)
            + ". The spike-time difference shrinks mostly because both neurons speed up (the start of the runaway), "
            "and less because their phase moves; the run ends at the time-step limit, alternating (phase 0.5) or "
            "firing together on every step (phase 0), not in a locked rhythm.")


def _refractory(v, params, conds) -> str:
    """Each variant with t_ref > 0 against the same variant without it."""
    def key(c):
        return tuple(sorted((k, x) for k, x in params[c]["neuron"].items() if k != "t_ref"))

    base = {key(c): c for c in conds if params[c]["neuron"].get("t_ref", 0.0) == 0.0}
    rows = []
    for c in conds:
        t_ref = params[c]["neuron"].get("t_ref", 0.0)
        if t_ref > 0 and key(c) in base:
            b = base[key(c)]
            rows.append(f"{b}: {_short_state(v[b])} -> {_short_state(v[c])}")
    if not rows:
        return ""
    return (f"**Refractory period** (t_ref = {num(t_ref * 1e3, 0)} ms against none): " + "; ".join(rows) + ".")


def _short_state(x) -> str:
    if x["state"] == "runaway":
        return f"runaway at {num(x['runaway_onset'], 1)} ms"
    if x["state"] == "locked":
        return f"locked at phase {num(x['locked_phase'], 2)}, {num(x['final_rate'], 0)} Hz"
    if x["state"] == "suppression":
        return f"suppression ({x['spike_count_long'][0]} vs {x['spike_count_long'][1]} spikes)"
    return f"not locked, {num(x['final_rate'], 0)} Hz"
