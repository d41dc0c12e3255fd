"""Analysis of ``noisy_fi_curve``: rates by two estimators with standard errors, the ISI CV, the Siegert rate.

Under an OU current (dims ``std``, ``tau`` instead of ``sigma``) the theory beside the rates is
``rate_fourcaud_brunel`` (``lifsim.analysis.colored``, an approximation) and no goal is judged.

``rate(estimator, sigma, I_e)``: ``isi`` is 1 / mean interval over the pooled intervals that start in the
window (SE by the delta method: rate CV / sqrt(n)); ``count`` is the mean over trials of window spikes /
window (SE: the trials' standard deviation / sqrt(trials)). ``rate_siegert``: the Siegert rate of the
effective Brunel form (sigma = 0: the deterministic formula). ``goal_tolerance`` = max(0.5 %, 3 SE) of the
ISI rate, judged where the Siegert rate is >= 5 Hz. ``rate_compare``: the same grid with the other
integrator (the analysis-only jobs), when it was run.
"""
from __future__ import annotations

import json

import numpy as np

from .. import units

GOAL_RELATIVE = 0.005
GOAL_SE = 3.0
GOAL_MIN_RATE = 5.0   # Hz


def si(ds, name: str, dimension: str):
    return ds[name] / units.to_display(1.0, dimension)


def estimates(ds):
    """rate(estimator, ...), rate_se, cv_isi, n_isi, censored from a gathered dataset (Hz, '1')."""
    import xarray as xr

    t0, t1 = json.loads(ds.attrs["window_ms"])
    window = (t1 - t0) * 1e-3
    n = ds["n_isi"].sum("trial")
    s1 = ds["isi_sum"].sum("trial") * 1e-3
    s2 = ds["isi_sumsq"].sum("trial") * 1e-6
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (s1 / n).where(n > 0)
        var = ((s2 - n * mean**2) / (n - 1)).where(n > 1).clip(min=0)
        std = np.sqrt(var)
        rate_isi = 1.0 / mean
        se_isi = std / (np.sqrt(n) * mean**2)
        cv = std / mean
    counts = ds["window_count"] / window
    trials = ds.sizes["trial"]
    rate_count = counts.mean("trial")
    se_count = counts.std("trial", ddof=1) / np.sqrt(trials) if trials > 1 else rate_count * np.nan
    est = xr.Variable(("estimator",), np.array(["isi", "count"], dtype=object),
                      {"long_name": "rate estimator: 1 / mean ISI, or spike count / window"})
    rate = xr.concat([rate_isi, rate_count], dim="estimator").assign_coords(estimator=est)
    se = xr.concat([se_isi, se_count], dim="estimator").assign_coords(estimator=est)
    return rate, se, cv, n, ds["censored"].sum("trial")


def noise_dims(ds) -> tuple[str, ...]:
    """("sigma",) for white noise, ("std", "tau") for an OU current."""
    return ("sigma",) if "sigma" in ds.dims else ("std", "tau")


def theory(ds):
    """On the dataset's grid (all dims but trial), Hz: the Siegert rate (white noise) or the Fourcaud-Brunel
    approximation (OU current)."""
    import xarray as xr

    from ..noisy.fi_job import NOISE_COORDS
    from ..params import NEURON_PARAMS
    from .colored import fourcaud_brunel_rate
    from .siegert import brunel_parameters, siegert_rate

    job = next(iter(json.loads(ds.attrs["lifsim_params"]).values()))
    p = dict(job["neuron"])
    grid = [d for d in ds["window_count"].dims if d != "trial"]
    for d in grid:
        p[d] = si(ds, d, (NOISE_COORDS.get(d) or NEURON_PARAMS[d])[0])
    zero = xr.zeros_like(ds["window_count"].isel(trial=0, drop=True), dtype=float)
    p = {k: np.asarray(zero + v) for k, v in p.items()}
    white = noise_dims(ds) == ("sigma",)
    mu, tau, sig = brunel_parameters(p["E_m"], p["R_m"], p["tau_m"], p["sigma"] if white else 0.0, p.get("I_e", 0.0),
                                     p.get("g_exc", 0.0), p.get("E_exc", 0.0), p.get("g_inh", 0.0), p.get("E_inh", 0.0))
    V_reset = p.get("V_reset", p["E_m"])
    if white:
        rate = siegert_rate(mu, sig, p["V_thr"], V_reset, tau, p["t_ref"])
    else:
        rate = fourcaud_brunel_rate(mu, p["R_m"] * tau / p["tau_m"], p["std"], p["tau"], p["V_thr"], V_reset, tau,
                                    p["t_ref"])
    return zero.copy(data=np.broadcast_to(rate, zero.shape))


def labelled(ds, integrator: str, suffix: str = "") -> dict:
    rate, se, cv, n, censored = estimates(ds)
    tag = f" ({integrator})"
    return {
        f"rate{suffix}": rate.assign_attrs(units="Hz", long_name="firing rate" + tag, integrator=integrator),
        f"rate{suffix}_se": se.assign_attrs(units="Hz", long_name="standard error of the firing rate" + tag),
        f"cv_isi{suffix}": cv.assign_attrs(units="1", long_name="coefficient of variation of the ISIs" + tag,
                                           comment="NaN: fewer than two intervals"),
        f"n_isi{suffix}": n.assign_attrs(units="1", long_name="number of pooled intervals" + tag),
        f"censored{suffix}": censored.assign_attrs(units="1", long_name="window spikes with no successor in "
                                                   "the run (their intervals are missing)" + tag),
    }


def analyse_noisy_fi(ds, options, extra=None):
    out = labelled(ds, ds.attrs["integrator"])
    dims = noise_dims(ds)
    if dims != ("sigma",):   # an OU current: an approximate theory beside the rates, no goal
        out["rate_fourcaud_brunel"] = theory(ds).assign_attrs(
            units="Hz", long_name="Fourcaud-Brunel coloured-noise rate: Siegert with threshold and reset raised by "
                                  "1.0326 sigma_w sqrt(tau / tau_eff) (first order; for tau << tau_eff)")
        return finish(out, ds, extra, dims)
    siegert = theory(ds).assign_attrs(units="Hz", long_name="Siegert (Ricciardi) first-passage rate with "
                                      "refractory period (sigma = 0: the deterministic rate)")
    out["rate_siegert"] = siegert
    isi = out["rate"].sel(estimator="isi", drop=True)
    tol = np.maximum(GOAL_RELATIVE * siegert, GOAL_SE * out["rate_se"].sel(estimator="isi", drop=True))
    out["goal_tolerance"] = tol.assign_attrs(units="Hz", long_name="accuracy goal: max(0.5 % of Siegert, "
                                             "3 standard errors) of the ISI rate")
    out["goal_applies"] = (siegert >= GOAL_MIN_RATE).astype(np.int8).assign_attrs(
        units="1", long_name="1 where the Siegert rate is >= 5 Hz (where the accuracy goal is judged)")
    out["goal_met"] = (np.abs(isi - siegert) <= tol).astype(np.int8).assign_attrs(
        units="1", long_name="1 where the ISI rate is within goal_tolerance of the Siegert rate")
    return finish(out, ds, extra, dims)


def finish(out: dict, ds, extra, dims):
    """The comparison integrator's rates (when run) and the dataset, estimator and noise dims first."""
    import xarray as xr

    from ..noisy.fi_job import gather_noisy_fi

    if extra:
        other = gather_noisy_fi(ds.attrs["kind"], ds.attrs["experiment"], extra)
        out.update(labelled(other, other.attrs["integrator"], "_compare"))
    out["rate"].attrs["noise_convention"] = ds.attrs["noise_convention"]
    return xr.Dataset(out).transpose("estimator", *dims, ...)   # (the analysis stage sets the attributes)


def integrators(an) -> tuple[str, str | None]:
    """The integrator of the rates and of the comparison rates (None: not run)."""
    other = an["rate_compare"].attrs["integrator"] if "rate_compare" in an else None
    return an["rate"].attrs["integrator"], other


def noise_points(an) -> list[tuple[str, dict]]:
    """(label, selection) of each noise setting: each sigma, or each (std, tau) of an OU current."""
    if "sigma" in an.dims:
        return [(f"sigma = {s:g} mV", {"sigma": s}) for s in an["sigma"].values]
    return [(f"std = {s:g} nA, tau = {t:g} ms", {"std": s, "tau": t}) for s in an["std"].values
            for t in an["tau"].values]


def theory_name(an) -> str:
    """The theory variable beside the rates."""
    return "rate_siegert" if "rate_siegert" in an else "rate_fourcaud_brunel"
