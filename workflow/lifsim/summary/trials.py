"""Summary of the trials from different initial voltages: a phase lag that never changes."""
from __future__ import annotations

import numpy as np

from ..analysis.cases import describe
from .common import case_list, clean, dt_ms, num, table


def summary(ds, an) -> tuple[dict, str]:
    measured, text, rows = {}, [], []
    for case in case_list(an, [d for d in an["lag_mean"].dims if d != "trial"]):
        c = describe(an, case)
        sel = an.sel(case)
        trials = [int(t) for t in an["trial"].values]
        first = {t: float(sel["spike_time"].sel(trial=t, spike_index=0)) if sel.sizes["spike_index"] else np.nan
                 for t in trials}
        isi = sel["isi"].values
        m = {"V_init": {t: float(ds["V_init"].sel(case).sel(trial=t)) for t in trials},
             "first_spike": first,
             "first_spike_theory": {t: float(sel["first_spike_theory"].sel(trial=t)) for t in trials},
             "lag_mean": {t: float(sel["lag_mean"].sel(trial=t)) for t in trials},
             "lag_theory": {t: float(sel["lag_theory"].sel(trial=t)) for t in trials},
             "lag_spread": {t: float(sel["lag_spread"].sel(trial=t)) for t in trials},
             "phase_lag": {t: _mean(sel["phase_lag"].sel(trial=t).values) for t in trials},
             "isi_min": float(np.nanmin(isi)) if np.isfinite(isi).any() else np.nan,
             "isi_max": float(np.nanmax(isi)) if np.isfinite(isi).any() else np.nan,
             "period_theory": float(sel["period_theory"])}
        measured[c] = {k: ({t: clean(x) for t, x in val.items()} if isinstance(val, dict) else clean(val))
                       for k, val in m.items()}
        spread = max(m["lag_spread"].values())
        dt = dt_ms(ds)
        lag = sel["lag"].values[np.isfinite(sel["lag"].values)]
        on_grid = lag.size and np.all(np.abs(lag / dt - np.round(lag / dt)) < 1e-6)
        if not np.isfinite(first[trials[0]]):
            text.append(f"**{c}.** Trial 0 never fired: no lag can be measured (NaN).")
        else:
            lags = ", ".join(f"trial {t}: {num(m['lag_mean'][t], 2)} ms (theory {num(m['lag_theory'][t])} ms, "
                             f"phase {num(m['phase_lag'][t])})" for t in trials[1:])
            isi_text = (f"Every inter-spike interval is {num(m['isi_min'], 2)}"
                        + (f"-{num(m['isi_max'], 2)}" if num(m["isi_max"], 2) != num(m["isi_min"], 2) else "")
                        + f" ms (theory {num(m['period_theory'])} ms). " if np.isfinite(m["isi_min"]) else
                        "No trial fired twice: no interval. ")
            constant = (f"The lag of each trial changes by at most {num(spread, 6)} ms over all its spikes: it is set "
                        "by the first spike and then constant, because after a reset every trial repeats the same "
                        "trajectory." if np.isfinite(spread) and spread < 1e-6 else
                        f"The lag of a trial changes by up to {num(spread, 6)} ms over its spikes.")
            text.append(f"**{c}.** " + isi_text + f"Lag behind trial 0: {lags}. " + constant
                        + (f" The measured lags are multiples of the time step ({num(dt, 2)} ms), like the spike "
                           "times." if on_grid else f" The lags are not multiples of the time step ({num(dt, 2)} "
                                                    "ms): the spike times lie inside the steps."))
        rows.extend([c, str(t), num(m["V_init"][t], 2), num(first[t], 1), num(m["first_spike_theory"][t], 3),
                     num(m["lag_mean"][t], 2), num(m["lag_theory"][t], 3), num(m["lag_spread"][t], 6),
                     num(m["phase_lag"][t], 4)] for t in trials)
    header = ["case", "trial", "V_0 (mV)", "first spike (ms)", "theory (ms)", "lag (ms)", "theory (ms)",
              "lag spread (ms)", "phase lag"]
    return measured, "\n\n".join(text + [table(header, rows)])


def _mean(values) -> float:
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else np.nan
