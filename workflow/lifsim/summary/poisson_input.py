"""Summary of ``poisson_input``: Campbell's theorem per input rate, and the output rate."""
from __future__ import annotations

from .common import clean, num, table


def summary(ds, an) -> tuple[dict, str]:
    rows, measured = [], []
    for rate in an["rate"].values:
        a = an.sel(rate=rate)
        z_mean = float((a["g_mean"] - a["g_mean_campbell"]) / a["g_mean_se"])
        z_var = float((a["g_var"] - a["g_var_campbell"]) / a["g_var_se"])
        measured.append({"rate_hz": float(rate), "g_mean_nS": clean(a["g_mean"]), "g_mean_campbell_nS":
                         clean(a["g_mean_campbell"]), "z_mean": z_mean, "g_var_nS2": clean(a["g_var"]),
                         "g_var_campbell_nS2": clean(a["g_var_campbell"]), "z_var": z_var,
                         "output_rate_hz": clean(a["output_rate"]), "campbell_ok": int(a["campbell_ok"])})
        rows.append([f"{rate:g}", f"{num(a['g_mean'], 3)} / {num(a['g_mean_campbell'], 3)}", f"{z_mean:+.1f}",
                     f"{num(a['g_var'], 3)} / {num(a['g_var_campbell'], 3)}", f"{z_var:+.1f}",
                     f"{num(a['output_rate'], 2)} +- {num(a['output_rate_se'], 2)}"])
    ok = sum(m["campbell_ok"] for m in measured)
    text = (f"Mean and variance of g agree with Campbell's theorem within 4 standard errors at {ok} of "
            f"{len(measured)} input rates.\n\n")
    return {"rates": measured}, text + table(
        ["input rate (Hz)", "mean g: measured / Campbell (nS)", "z", "var g: measured / Campbell (nS^2)", "z",
         "output rate (Hz)"], rows)
