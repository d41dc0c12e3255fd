"""Summary of ``convergence``: the fitted orders (generic table) and the noise case's errors per sigma and dt."""
from __future__ import annotations

import numpy as np

from .common import clean, generic_summary, num, table

NOISE = ("noise_rate_error_order", "noise_rate_error_resolved", "noise_rate_error_grid_threshold")


def noise_rows(ds, an) -> list[dict]:
    """Per sigma and dt the case ran: each integrator's error and standard error (%), and Euler's asymptote."""
    rows = []
    for sigma in ds["sigma"].values:
        for dt in ds["dt"].values:
            sel = {"sigma": sigma, "dt": dt}
            if not np.isfinite(ds["noise_rate_error"].sel(sel)).any():
                continue
            row = {"sigma_mV": float(sigma), "dt_ms": float(dt),
                   "grid_threshold_percent": 100 * float(an["noise_rate_error_grid_threshold"].sel(sel))}
            for integ in ds["integrator"].values:
                s = {**sel, "integrator": integ}
                row[f"{integ}_error_percent"] = 100 * float(ds["noise_rate_error"].sel(s))
                row[f"{integ}_se_percent"] = 100 * float(ds["noise_rate_error_se"].sel(s))
            rows.append(row)
    return rows


def noise_text(ds, an) -> tuple[dict, str]:
    rows = noise_rows(ds, an)
    integrators = [str(i) for i in ds["integrator"].values]
    orders = {f"{i}_sigma_{float(s):g}_mV": clean(an["noise_rate_error_order"].sel(integrator=i, sigma=s))
              for i in integrators for s in ds["sigma"].values}
    header = ["sigma (mV)", "dt (ms)"] + [f"{i} error (%) +- SE" for i in integrators] + ["euler asymptote (%)"]
    body = [[f"{r['sigma_mV']:g}", f"{r['dt_ms']:g}"]
            + [f"{num(r[f'{i}_error_percent'], 2)} +- {num(r[f'{i}_se_percent'], 2)}" for i in integrators]
            + [num(r["grid_threshold_percent"], 2)] for r in rows]
    fits = ", ".join(f"{key.replace('_sigma_', ' at sigma ').replace('_mV', ' mV')}: "
                     + ("not resolved" if value is None else f"{value:.2f}") for key, value in orders.items())
    text = ("**Noise case** (white noise, ISI rate against the Siegert rate; errors count where they exceed "
            "3 standard errors, and orders are fitted over those dts only): fitted orders " + fits + ". "
            "The asymptote is Euler-Maruyama's leading error from testing the threshold on the grid only "
            "(threshold raised by 0.5826 sigma_eff sqrt(dt / tau_eff)).\n\n" + table(header, body))
    return {"noise_errors": rows, "noise_orders": orders}, text


def summary(ds, an) -> tuple[dict, str]:
    measured, text = generic_summary(ds, an.drop_vars([v for v in NOISE if v in an]))
    if "noise_rate_error" in ds:
        numbers, noise = noise_text(ds, an)
        measured.update(numbers)
        text = text + "\n\n" + noise
    return measured, text
