"""Summary of the synaptic responses: PSPs against the driving force, R_in and tau_eff against theory."""
from __future__ import annotations

from .common import clean, num, table


def summary(ds, an) -> tuple[dict, str]:
    conds = [str(c) for c in an["condition"].values]
    v = {name: {c: float(an[name].sel(condition=c)) for c in conds} for name in an.data_vars
         if an[name].dims == ("condition",)}
    tonic = {c: float(ds["g_exc"].sel(condition=c)) + float(ds["g_inh"].sel(condition=c)) for c in conds}
    measured = {name: {c: clean(x) for c, x in values.items()} for name, values in v.items()}
    text = []
    psp = ", ".join(f"{c} {num(v['psp_amplitude'][c])} mV at {num(v['psp_peak_time'][c], 1)} ms" for c in conds)
    text.append(f"**PSP peaks** (after the presynaptic spike): {psp}.")
    plain = [c for c in conds if tonic[c] == 0]
    if len(plain) >= 2:
        ref = plain[0]
        ratios = []
        for c in plain[1:]:
            psp_ratio = v["psp_amplitude"][ref] / v["psp_amplitude"][c]
            force_ratio = v["driving_force"][ref] / v["driving_force"][c]
            measured.setdefault("psp_ratio", {})[f"{ref}/{c}"] = psp_ratio
            measured.setdefault("driving_force_ratio", {})[f"{ref}/{c}"] = force_ratio
            ratios.append(f"{ref}/{c}: PSP ratio {num(psp_ratio, 4)}, driving-force ratio "
                          f"({num(v['driving_force'][ref], 0)} mV / {num(v['driving_force'][c], 0)} mV) "
                          f"{num(force_ratio, 4)}")
        text.append("**Driving force.** Without tonic conductances the PSP is proportional to the driving force "
                    "E_syn - E_m (the equation for (V - E_m) / (E_syn - E_m) does not contain it): "
                    + "; ".join(ratios) + ". A deflection with a smaller driving force is smaller by exactly "
                    "that factor.")
    if "input_resistance" in v:
        rows = []
        for c in conds:
            rows.append(f"{c}: R_in {num(v['input_resistance'][c])} MOhm "
                        f"(theory {num(v['input_resistance_theory'][c])}), "
                        f"tau_eff {num(v['tau_eff'][c])} ms (theory {num(v['tau_eff_theory'][c])}; "
                        f"the fit to the integrator's trace should give {num(v['tau_eff_expected_fit'][c])}), "
                        f"resting potential {num(v['rest_potential'][c])} mV (theory "
                        f"{num(v['rest_potential_theory'][c])})")
        step = num(next(iter(v["test_step"].values())) * 1e3, 0)
        text.append(f"**Test step of {step} pA** in each condition (no presynaptic spike): " + "; ".join(rows)
                    + ". Theory: R_in = R_m / (1 + R_m (g_exc + g_inh)), tau_eff = tau_m / (1 + R_m (g_exc + g_inh)); "
                    "forward Euler's fitted time constant is -dt / ln(1 - dt / tau_eff), about dt/2 shorter.")
        shunted = [c for c in conds if tonic[c] > 0]
        if shunted and plain:
            ref = plain[0]
            for c in shunted:
                text.append(
                    f"**Shunting ({c}).** The tonic conductances leave the resting potential at "
                    f"{num(v['rest_potential'][c])} mV (E_m = {num(float(ds['E_m'].sel(condition=c)))} mV) but divide "
                    f"R_in by {num(v['input_resistance'][ref] / v['input_resistance'][c])} and tau_eff by "
                    f"{num(v['tau_eff'][ref] / v['tau_eff'][c])} (fitted values, with Euler's -dt/2; "
                    "theory 1 + R_m (g_exc + g_inh) = "
                    f"{num(v['input_resistance_theory'][ref] / v['input_resistance_theory'][c])}); with the same "
                    f"synapse as {ref} the PSP is {num(v['psp_amplitude'][c] / v['psp_amplitude'][ref])} of it.")
    header = ["condition", "E_syn - E_m (mV)", "PSP (mV)", "peak after spike (ms)", "PSP / driving force",
              "peak I_syn (nA)", "charge (pC)", "charge at rest (pC)"]
    rows = [[c, num(v["driving_force"][c], 0), num(v["psp_amplitude"][c]), num(v["psp_peak_time"][c], 1),
             num(v["psp_per_driving_force"][c], 5), num(v["I_syn_peak"][c]), num(v["charge"][c], 2),
             num(v["charge_fixed_driving_force"][c], 2)] for c in conds]
    parts = ["\n\n".join(text), table(header, rows)]
    if "input_resistance" in v:
        parts.append(table(["condition", "R_in (MOhm)", "theory", "tau_eff fit (ms)", "expected fit", "theory",
                            "rest (mV)", "theory"],
                           [[c, num(v["input_resistance"][c], 4), num(v["input_resistance_theory"][c], 4),
                             num(v["tau_eff"][c], 4), num(v["tau_eff_expected_fit"][c], 4),
                             num(v["tau_eff_theory"][c], 4), num(v["rest_potential"][c], 4),
                             num(v["rest_potential_theory"][c], 4)] for c in conds]))
    return measured, "\n\n".join(parts)
