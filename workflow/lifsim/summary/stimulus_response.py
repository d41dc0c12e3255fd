"""Summary of ``stimulus_response``: spikes per condition and the step response's closed-form error."""
from __future__ import annotations

from .common import clean, num, table


def summary(ds, an) -> tuple[dict, str]:
    rows, measured = [], {}
    for cond in an["condition"].values:
        c = str(cond)
        err = float(an["step_error"].sel(condition=cond))
        measured[c] = {"n_spikes": int(an["n_spikes"].sel(condition=cond)),
                       "first_spike_ms": clean(an["first_spike"].sel(condition=cond)),
                       "step_error_mV": clean(err)}
        rows.append([c, str(measured[c]["n_spikes"]), num(measured[c]["first_spike_ms"], 3),
                     "n/a (not one step)" if err != err else f"{err:.2e}"])
    steps = [m["step_error_mV"] for m in measured.values() if m["step_error_mV"] is not None]
    text = ("Deterministic runs (no noise) with the exact integrator. " +
            (f"Where the stimulus is one step, V before the first spike differs from the closed-form step "
             f"response by at most {max(steps):.2e} mV." if steps else "No condition is a single step.")) + "\n\n"
    return measured, text + table(["condition", "spikes", "first spike (ms)", "step: largest abs(V - closed form) (mV)"],
                                  rows)
