"""Summary of the synaptic responses: PSPs against the driving force and the small-conductance limit, R_in and
tau_eff against theory. Every claim is checked against the numbers before it is made."""
from __future__ import annotations

import numpy as np

from ..analysis.cases import at, describe
from .common import case_list, clean, condition_params, integrator_of, num, table

PER_CASE = ("psp_amplitude", "psp_peak_time", "driving_force", "psp_per_driving_force", "I_syn_peak", "charge",
            "charge_fixed_driving_force", "psp_linear", "psp_linear_peak_time", "psp_over_linear")
PROBE = ("input_resistance", "input_resistance_theory", "tau_eff", "tau_eff_theory", "tau_eff_expected_fit",
         "rest_potential", "rest_potential_theory", "test_step")
# relative rounding of the float64 arithmetic over a run (the PSP ratio of two runs that differ only in E_syn
# matches the driving-force ratio to better than this, see tests/test_science.py)
ARITHMETIC = 1e-12
SAME_SYNAPSE = ("g_star", "tau_syn", "tau_m", "R_m", "I_e", "g_exc", "g_inh", "E_m")


def summary(ds, an) -> tuple[dict, str]:
    dims = list(an["psp_amplitude"].dims)
    cases = case_list(an, dims)
    keys = [describe(an, sel) for sel in cases]
    v = {k: {name: at(an[name], sel) for name in PER_CASE + PROBE if name in an}
         for k, sel in zip(keys, cases)}
    cond_of = dict(zip(keys, (str(sel["condition"]) for sel in cases)))
    params = condition_params(ds)
    neuron = {c: params[c]["neuron"] for c in set(cond_of.values())}
    tonic = {k: _tonic(ds, cases[i]) for i, k in enumerate(keys)}
    measured = {name: {k: clean(x[name]) for k, x in v.items() if name in x} for name in PER_CASE + PROBE
                if name in an}
    text = [_peaks(v, an)]
    text.append(_driving_force(v, cases, keys, cond_of, neuron, tonic, ds, measured))
    text.append(_linear(v, keys, an, dims))
    if "input_resistance" in an:
        probe_cases = case_list(an, an["input_resistance"].dims)
        scalar_psp = set(an["psp_amplitude"].dims) <= set(an["input_resistance"].dims)
        pv = {describe(an, sel): {name: at(an[name], sel) for name in PROBE} for sel in probe_cases}
        for sel in probe_cases:        # the PSP per probe case only if the PSP is not swept further
            pv[describe(an, sel)]["psp_amplitude"] = at(an["psp_amplitude"], sel) if scalar_psp else np.nan
        p_cond = {describe(an, sel): str(sel["condition"]) for sel in probe_cases}
        p_tonic = {describe(an, sel): _tonic(ds, sel) for sel in probe_cases}
        text.append(_probe(pv, list(pv), p_tonic, ds, integrator_of(ds), p_cond, neuron))
    header = ["case", "E_syn - E_m (mV)", "PSP (mV)", "peak after spike (ms)", "PSP / driving force",
              "first-order PSP (mV)", "peak I_syn (nA)", "charge (pC)", "charge at rest (pC)"]
    rows = [[k, num(x["driving_force"], 0), num(x["psp_amplitude"]), num(x["psp_peak_time"], 1),
             num(x["psp_per_driving_force"], 5), num(x["psp_linear"]), num(x["I_syn_peak"]), num(x["charge"], 2),
             num(x["charge_fixed_driving_force"], 2)] for k, x in v.items()]
    parts = ["\n\n".join(t for t in text if t), table(header, rows)]
    if "input_resistance" in an:
        parts.append(table(["case", "R_in (MOhm)", "theory", "tau_eff fit (ms)", "expected fit", "theory",
                            "rest (mV)", "theory"],
                           [[k, num(x["input_resistance"], 4), num(x["input_resistance_theory"], 4),
                             num(x["tau_eff"], 4), num(x["tau_eff_expected_fit"], 4), num(x["tau_eff_theory"], 4),
                             num(x["rest_potential"], 4), num(x["rest_potential_theory"], 4)] for k, x in pv.items()]))
    return measured, "\n\n".join(parts)


def _tonic(ds, sel) -> bool:
    return any(at(ds[g], sel) != 0 for g in ("g_exc", "g_inh"))


def _peaks(v, an) -> str:
    def one(k, x):
        if np.isnan(x["psp_amplitude"]):
            return f"{k} not measured ({an['psp_amplitude'].attrs.get('comment', 'NaN')})"
        if x["psp_amplitude"] == 0:
            why = (f"E_syn - E_m = {num(x['driving_force'], 0)} mV" if np.isfinite(x["driving_force"])
                   else "no presynaptic spike")
            return f"{k} 0 mV (V never leaves its initial value; {why})"
        return f"{k} {num(x['psp_amplitude'])} mV at {num(x['psp_peak_time'], 1)} ms"
    if len(v) > 8:
        amps = [x["psp_amplitude"] for x in v.values() if np.isfinite(x["psp_amplitude"])]
        return (f"**PSP peaks** of {len(v)} cases (after the presynaptic spike; each in the table below): from "
                f"{num(min(amps))} to {num(max(amps))} mV." if amps else "**PSP peaks**: none measured.")
    return "**PSP peaks** (after the presynaptic spike): " + ", ".join(one(k, x) for k, x in v.items()) + "."


def storage_tolerance(ds) -> float:
    """mV: one spacing of V's floating-point type (float32 when read from a file) at the largest |V|."""
    if "V" not in ds:
        return np.nan
    V = ds["V"].values
    return float(np.spacing(V.dtype.type(np.nanmax(np.abs(V)))))


def _driving_force(v, cases, keys, cond_of, neuron, tonic, ds, measured) -> str:
    """Per pair of conditions (at the same sweep point): PSP ratio against driving-force ratio, equal only
    within the storage tolerance."""
    ulp = storage_tolerance(ds)
    points: dict[str, list[str]] = {}
    for sel, k in zip(cases, keys):
        if not tonic[k] and np.isfinite(v[k]["psp_amplitude"]):
            points.setdefault(", ".join(f"{d}={x}" for d, x in sel.items() if d != "condition"), []).append(k)
    pairs: dict[tuple, list] = {}
    for members in points.values():
        members.sort(key=lambda k: v[k]["psp_amplitude"] == 0)     # a non-zero PSP as the reference
        for k in members[1:]:
            pairs.setdefault((cond_of[members[0]], cond_of[k]), []).append((members[0], k))
    if not pairs:
        return ""
    rows, equal_all = [], True
    for (rc, kc), items in pairs.items():
        results = []
        for ref, k in items:
            a, b, fa, fb = (v[ref]["psp_amplitude"], v[k]["psp_amplitude"], v[ref]["driving_force"],
                            v[k]["driving_force"])
            if b == 0 or fb == 0:
                results.append(None)
                continue
            tol = ulp / abs(a) + ulp / abs(b) + ARITHMETIC        # relative: stored deflections and arithmetic
            results.append((a / b, fa / fb, tol, abs((a / b) / (fa / fb) - 1) <= tol))
            measured.setdefault("psp_ratio", {})[f"{ref}/{k}"] = a / b
            measured.setdefault("driving_force_ratio", {})[f"{ref}/{k}"] = fa / fb
        differs = [p for p in SAME_SYNAPSE if neuron[rc].get(p) != neuron[kc].get(p)]
        also = f" (the conditions also differ in {', '.join(differs)})" if differs else ""
        if any(r is None for r in results):
            rows.append(f"{rc}/{kc}: no ratio, the PSP of {kc} is 0 mV (driving force "
                        f"{num(v[items[0][1]]['driving_force'], 0)} mV)")
            equal_all = False
            continue
        close = all(r[3] for r in results)
        equal_all &= close
        ratio = [r[0] for r in results]
        force, tol = results[0][1], max(r[2] for r in results)
        where = f" at all {len(results)} sweep points" if len(results) > 1 else ""
        verdict = (f"equal to within {100 * tol:.2g} % (the rounding of V and of the arithmetic){where}" if close else
                   f"they differ by up to {num(100 * max(abs(x / force - 1) for x in ratio), 2)} %{where}")
        span = num(min(ratio), 4) + (f" to {num(max(ratio), 4)}" if num(max(ratio), 4) != num(min(ratio), 4) else "")
        rows.append(f"{rc}/{kc}: PSP ratio {span}, driving-force ratio ({num(v[items[0][0]]['driving_force'], 0)} mV "
                    f"/ {num(v[items[0][1]]['driving_force'], 0)} mV) {num(force, 4)}, {verdict}{also}")
    lead = ("**Driving force.** With the same synapse and membrane and no tonic conductance the PSP is "
            "proportional to E_syn - E_m (the equation for (V - E_m) / (E_syn - E_m) does not contain it): ")
    tail = (" Every deflection here scales with its driving force." if equal_all else
            " Not every ratio matches the driving-force ratio: proportionality holds only between conditions that "
            "differ in E_syn alone.")
    return lead + "; ".join(rows) + "." + tail


def _linear(v, keys, an, dims) -> str:
    ok = [k for k in keys if np.isfinite(v[k]["psp_over_linear"])]
    if not ok:
        return ""
    swept = [d for d in dims if d != "condition"]
    ratios = [v[k]["psp_over_linear"] for k in ok]
    text = ("**Small-conductance limit.** To first order in g_star (the driving force held at the resting "
            "potential, exact as g_star -> 0) the PSP would be " + ", ".join(
                f"{k} {num(v[k]['psp_linear'])} mV" for k in ok[:6]) + (", ..." if len(ok) > 6 else "")
            + f"; the simulated PSP is {num(min(ratios), 4)}" + (f" to {num(max(ratios), 4)}" if
                                                                  num(max(ratios), 4) != num(min(ratios), 4) else "")
            + " of it" + (" (the driving force shrinks as V moves towards E_syn)." if max(ratios) < 1 else "."))
    if "g_star" in swept:
        g = an["g_star"].values
        lo, hi = an["psp_over_linear"].sel(g_star=g.min()), an["psp_over_linear"].sel(g_star=g.max())
        text += (f" Over the swept g_star the ratio goes from {num(float(lo.mean()), 4)} at {g.min():g} nS to "
                 f"{num(float(hi.mean()), 4)} at {g.max():g} nS (mean over the other cases).")
    return text


def _probe(v, keys, tonic, ds, integrator, cond_of, neuron) -> str:
    rows = [f"{k}: R_in {num(x['input_resistance'])} MOhm (theory {num(x['input_resistance_theory'])}), "
            f"tau_eff {num(x['tau_eff'])} ms (theory {num(x['tau_eff_theory'])}; the fit to the integrator's trace "
            f"should give {num(x['tau_eff_expected_fit'])}), resting potential {num(x['rest_potential'])} mV "
            f"(theory {num(x['rest_potential_theory'])})" for k, x in v.items()]
    steps = sorted({round(x["test_step"] * 1e3, 6) for x in v.values()})
    euler = integrator == "euler"
    text = [f"**Test step of {', '.join(f'{s:g}' for s in steps)} pA** in each case (no presynaptic spike): "
            + "; ".join(rows) + ". Theory: R_in = R_m / (1 + R_m (g_exc + g_inh)), tau_eff = tau_m / (1 + R_m (g_exc "
            "+ g_inh)); " + ("forward Euler's fitted time constant is -dt / ln(1 - dt / tau_eff), about dt/2 shorter."
                             if euler else f"the {integrator} integrator's trace has no time-step error in a "
                                           "passive relaxation, so the fit should return tau_eff itself.")]
    plain = [k for k in keys if not tonic[k]]
    for k in (k for k in keys if tonic[k]) if plain else ():
        ref = plain[0]
        x, r = v[k], v[ref]
        same = all(neuron[cond_of[ref]].get(p) == neuron[cond_of[k]].get(p) for p in ("g_star", "tau_syn", "E_syn"))
        text.append(
            f"**Shunting ({k}).** The tonic conductances leave the resting potential at "
            f"{num(x['rest_potential'])} mV (E_m = {num(at(ds['E_m'], {'condition': cond_of[k]}))} mV) but divide "
            f"R_in by {num(r['input_resistance'] / x['input_resistance'])} and tau_eff by "
            f"{num(r['tau_eff'] / x['tau_eff'])} (fitted values" + (", with Euler's -dt/2" if euler else "")
            + f"; theory 1 + R_m (g_exc + g_inh) = {num(r['input_resistance_theory'] / x['input_resistance_theory'])})"
            + (f"; with the same synapse as {ref} the PSP is {num(x['psp_amplitude'] / r['psp_amplitude'])} of it."
               if same and r["psp_amplitude"] and np.isfinite(x["psp_amplitude"]) else "."))
    return "\n\n".join(text)
