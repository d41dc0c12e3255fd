"""Analysis of ``poisson_input``: g against Campbell's theorem, the output rate against the input rate.

For a Poisson train at rate nu onto the x -> g cascade, one event gives g(t) = g* (t/tau) e^{-t/tau}, so
by Campbell's theorem mean g = nu g* tau and var g = nu g*^2 tau / 4. Measured per rate over the trials:
the mean of the neurons' time averages (SE from their spread), and the variance about that pooled mean =
each neuron's own variance + the spread of the time averages (SE from the statistics of both terms).
``campbell_ok``: both within 4 standard errors.
"""
from __future__ import annotations

import json

import numpy as np

TOLERANCE_SE = 4.0


def analyse_poisson(ds, options):
    import xarray as xr

    job = next(iter(json.loads(ds.attrs["lifsim_params"]).values()))
    g_star, tau = job["poisson"]["g_star"] * 1e9, job["neuron"]["tau_syn"]   # nS, s
    nu = ds["rate"]
    n = ds.sizes["trial"]
    window = ds.attrs["window_ms"] * 1e-3
    mean_i, msq_i = ds["g_mean"], ds["g_sq_mean"]
    own = msq_i - mean_i**2
    spread = mean_i.var("trial", ddof=1)
    out = {
        "g_mean": mean_i.mean("trial").assign_attrs(units="nS", long_name="measured mean of g_syn"),
        "g_mean_se": (mean_i.std("trial", ddof=1) / np.sqrt(n)).assign_attrs(
            units="nS", long_name="standard error of the measured mean of g_syn"),
        "g_mean_campbell": (nu * g_star * tau).assign_attrs(units="nS", long_name="Campbell: nu g_star tau_syn"),
        "g_var": (own.mean("trial") + spread).assign_attrs(units="nS2", long_name="measured variance of g_syn"),
        "g_var_se": np.hypot(own.std("trial", ddof=1) / np.sqrt(n), spread * np.sqrt(2.0 / (n - 1))).assign_attrs(
            units="nS2", long_name="standard error of the measured variance of g_syn"),
        "g_var_campbell": (nu * g_star**2 * tau / 4).assign_attrs(
            units="nS2", long_name="Campbell: nu g_star^2 tau_syn / 4"),
        "input_rate": (ds["input_count"] / window).mean("trial").assign_attrs(
            units="Hz", long_name="measured input event rate"),
        "output_rate": (ds["output_count"] / window).mean("trial").assign_attrs(
            units="Hz", long_name="output firing rate (spike count / window, mean over trials)"),
        "output_rate_se": ((ds["output_count"] / window).std("trial", ddof=1) / np.sqrt(n)).assign_attrs(
            units="Hz", long_name="standard error of the output rate"),
    }
    ok = ((np.abs(out["g_mean"] - out["g_mean_campbell"]) <= TOLERANCE_SE * out["g_mean_se"])
          & (np.abs(out["g_var"] - out["g_var_campbell"]) <= TOLERANCE_SE * out["g_var_se"]))
    out["campbell_ok"] = ok.astype(np.int8).assign_attrs(
        units="1", long_name="1 where mean and variance of g are within 4 standard errors of Campbell's theorem")
    return xr.Dataset(out)
