"""Summary of ``noisy_fi_curve``: the ISI-rate error against Siegert per sigma, against the accuracy goal (an
OU current: the deviation from the Fourcaud-Brunel approximation per (std, tau), no goal)."""
from __future__ import annotations

import numpy as np

from ..analysis.noisy_fi import GOAL_MIN_RATE, integrators, noise_points, theory_name
from .common import clean_list, num, table


def errors_per_sigma(an, suffix: str = "") -> list[dict]:
    """Per sigma, over the points where the goal applies (Siegert >= 5 Hz): the largest relative error of the
    ISI rate, its standard error there, and how many points meet max(0.5 %, 3 SE)."""
    out = []
    applies = an["goal_applies"] == 1
    for sigma in an["sigma"].values:
        sel = dict(sigma=sigma)
        theory = an["rate_siegert"].sel(**sel)
        rate = an[f"rate{suffix}"].sel(estimator="isi", **sel)
        se = an[f"rate{suffix}_se"].sel(estimator="isi", **sel)
        mask = applies.sel(**sel).values & np.isfinite(rate.values)
        row = {"sigma_mV": float(sigma), "points": int(mask.sum())}
        if mask.any():
            rel = (rate.values[mask] / theory.values[mask] - 1.0)
            worst = int(np.argmax(np.abs(rel)))
            tol = np.maximum(0.005 * theory.values[mask], 3 * np.nan_to_num(se.values[mask]))
            met = np.abs(rate.values[mask] - theory.values[mask]) <= tol
            row.update(max_error_percent=100 * float(rel[worst]),
                       se_percent_at_max=100 * float(se.values[mask][worst] / theory.values[mask][worst]),
                       mean_error_percent=100 * float(rel.mean()), within_goal=int(met.sum()))
        out.append(row)
    return out


def deviations(an, suffix: str = "") -> list[dict]:
    """Per OU setting, where the Fourcaud-Brunel rate is >= 5 Hz: the largest relative deviation of the ISI
    rate from it and its standard error there."""
    out = []
    theory = an[theory_name(an)]
    for label, sel in noise_points(an):
        rate = an[f"rate{suffix}"].sel(estimator="isi", **sel).values
        se = an[f"rate{suffix}_se"].sel(estimator="isi", **sel).values
        fb = theory.sel(sel).values
        mask = (fb >= GOAL_MIN_RATE) & np.isfinite(rate)
        row = {"noise": label, "points": int(mask.sum())}
        if mask.any():
            rel = rate[mask] / fb[mask] - 1.0
            worst = int(np.argmax(np.abs(rel)))
            row.update(max_deviation_percent=100 * float(rel[worst]),
                       se_percent_at_max=100 * float(se[mask][worst] / fb[mask][worst]))
        out.append(row)
    return out


def coloured_summary(an) -> tuple[dict, str]:
    integrator, other = integrators(an)
    rows = deviations(an)
    compare = deviations(an, "_compare") if other else []
    measured = {"integrator": integrator, "deviations": rows, "compare_integrator": other,
                "compare_deviations": compare, "max_censored": int(an["censored"].max())}
    text = (f"An Ornstein-Uhlenbeck current added to I_e (stationary standard deviation std, correlation time "
            f"tau), integrated with ``{integrator}``. The line is Fourcaud and Brunel's first-order coloured-noise "
            "correction of the Siegert rate, an approximation for tau << tau_m (no goal is judged on it): the "
            "table gives the largest deviation of the ISI rate from it where it is >= 5 Hz.")
    header = ["OU current", "points >= 5 Hz", f"max deviation {integrator} (%)", "its SE (%)"]
    body = [[r["noise"], str(r["points"]), num(r.get("max_deviation_percent"), 2), num(r.get("se_percent_at_max"), 2)]
            + ([num(compare[i].get("max_deviation_percent"), 2)] if other else []) for i, r in enumerate(rows)]
    if other:
        header.append(f"max deviation {other} (%)")
    return measured, text + "\n\n" + table(header, body)


def summary(ds, an) -> tuple[dict, str]:
    if "rate_siegert" not in an:
        return coloured_summary(an)
    main = errors_per_sigma(an)
    integrator, other = integrators(an)
    compare = errors_per_sigma(an, "_compare") if other else []
    measured = {"integrator": integrator, "errors": main, "compare_integrator": other, "compare_errors": compare,
                "max_censored": int(an["censored"].max())}
    judged = [r for r in main if r["points"]]
    met = sum(r["within_goal"] for r in judged)
    total = sum(r["points"] for r in judged)
    lines = [f"White noise in Brunel's convention (tau_m dV = (...) dt + sigma sqrt(tau_m) dW; free-membrane "
             f"standard deviation sigma/sqrt(2)). With ``{integrator}`` the ISI rate is within max(0.5 %, 3 SE) "
             f"of the Siegert rate at {met} of {total} points where the Siegert rate is >= 5 Hz"
             + (" (all of them)." if met == total and total else ".")]
    if other:
        worst = max((r["max_error_percent"] for r in compare if r["points"]), key=abs, default=float("nan"))
        lines.append(f"The same points with ``{other}``: largest ISI-rate error {num(worst, 2)} % "
                     "(per sigma in the table).")
    if measured["max_censored"]:
        lines.append(f"Up to {measured['max_censored']} window spikes per point had no successor in the run "
                     "(their intervals are missing; lengthen isi_tail).")
    header = ["sigma (mV)", "points >= 5 Hz", f"max error {integrator} (%)", "its SE (%)", "within goal"]
    rows = []
    for i, r in enumerate(main):
        row = [f"{r['sigma_mV']:g}", str(r["points"]), num(r.get("max_error_percent"), 2),
               num(r.get("se_percent_at_max"), 2), str(r.get("within_goal", "n/a"))]
        if other:
            row.append(num(compare[i].get("max_error_percent"), 2))
        rows.append(row)
    if other:
        header.append(f"max error {other} (%)")
    measured["rates_isi_hz"] = [clean_list(row) for row in an["rate"].sel(estimator="isi").values]
    return measured, " ".join(lines) + "\n\n" + table(header, rows)
