"""Summary of the trials from different initial voltages: a phase lag that never changes."""
from __future__ import annotations

import numpy as np

from .common import clean, num, table


def summary(ds, an) -> tuple[dict, str]:
    measured, text, rows = {}, [], []
    for cond in an["condition"].values:
        c = str(cond)
        sel = an.sel(condition=cond)
        trials = [int(t) for t in an["trial"].values]
        first = {t: float(sel["spike_time"].sel(trial=t, spike_index=0)) for t in trials}
        isi = sel["isi"].values
        m = {"V_init": {t: float(ds["V_init"].sel(condition=cond, trial=t)) for t in trials},
             "first_spike": first,
             "first_spike_theory": {t: float(sel["first_spike_theory"].sel(trial=t)) for t in trials},
             "lag_mean": {t: float(sel["lag_mean"].sel(trial=t)) for t in trials},
             "lag_theory": {t: float(sel["lag_theory"].sel(trial=t)) for t in trials},
             "lag_spread": {t: float(sel["lag_spread"].sel(trial=t)) for t in trials},
             "phase_lag": {t: float(np.nanmean(sel["phase_lag"].sel(trial=t))) for t in trials},
             "isi_min": float(np.nanmin(isi)), "isi_max": float(np.nanmax(isi)),
             "period_theory": float(sel["period_theory"])}
        measured[c] = {k: ({t: clean(x) for t, x in val.items()} if isinstance(val, dict) else clean(val))
                       for k, val in m.items()}
        spread = max(m["lag_spread"].values())
        lags = ", ".join(f"trial {t}: {num(m['lag_mean'][t], 2)} ms (theory {num(m['lag_theory'][t])} ms, phase "
                         f"{num(m['phase_lag'][t])})" for t in trials[1:])
        text.append(
            f"**{c}.** Every inter-spike interval is {num(m['isi_min'], 2)}"
            + (f"-{num(m['isi_max'], 2)}" if num(m["isi_max"], 2) != num(m["isi_min"], 2) else "")
            + f" ms (theory {num(m['period_theory'])} ms). Lag behind trial 0: {lags}. The lag of each trial "
            f"changes by at most {num(spread, 6)} ms over all its spikes: it is set by the first spike and then "
            "constant, because after a reset every trial repeats the same trajectory. The measured lags are "
            f"multiples of the time step ({num(float(ds['time'][1] - ds['time'][0]), 2)} ms), like the spike times.")
        rows.extend([c, str(t), num(m["V_init"][t], 2), num(first[t], 1), num(m["first_spike_theory"][t], 3),
                     num(m["lag_mean"][t], 2), num(m["lag_theory"][t], 3), num(m["lag_spread"][t], 6),
                     num(m["phase_lag"][t], 4)] for t in trials)
    header = ["condition", "trial", "V_0 (mV)", "first spike (ms)", "theory (ms)", "lag (ms)", "theory (ms)",
              "lag spread (ms)", "phase lag"]
    return measured, "\n\n".join(text + [table(header, rows)])
