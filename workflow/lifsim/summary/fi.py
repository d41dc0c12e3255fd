"""Summary of the f-I curve: rheobase against theory, each estimator's error against the analytical rate."""
from __future__ import annotations

from .common import clean, dt_ms, integrator_of, num, table


def summary(ds, an) -> tuple[dict, str]:
    durations = [float(d) for d in an["duration"].values]
    theory = float(an["rheobase_theory"])
    step = float(an["I_e_step"])
    measured = {"rheobase_theory": theory, "I_e_step": step,
                "rheobase_measured": {f"{d:g} ms": clean(an["rheobase_measured"].sel(duration=d)) for d in durations},
                "rheobase_silent": {f"{d:g} ms": clean(an["rheobase_silent"].sel(duration=d)) for d in durations}}
    brackets = "; ".join(f"{d:g} ms: silent at {num(an['rheobase_silent'].sel(duration=d))} nA, fires from "
                         f"{num(an['rheobase_measured'].sel(duration=d))} nA" for d in durations)
    if "comment" in an["rheobase_measured"].attrs:     # not a sweep of I_e alone: no bracket to state
        text = [f"**Rheobase**: theory (V_thr - E_m) / R_m = {num(theory)} nA; not measured "
                f"({an['rheobase_measured'].attrs['comment'].removeprefix('NaN: ')})."]
    else:
        text = [f"**Rheobase**: theory (V_thr - E_m) / R_m = {num(theory)} nA; simulated currents every "
                f"{num(step, 4)} nA ({brackets}). Close to rheobase the first spike comes late, so a short run can "
                "miss it."]
    rows = []
    for est in [str(e) for e in an["estimator"].values]:
        for d in durations:
            sel = an.sel(estimator=est, duration=d)
            key = f"{est}, {d:g} ms"
            measured.setdefault("max_abs_error", {})[key] = clean(sel["max_abs_error"])
            measured.setdefault("mean_abs_error", {})[key] = clean(sel["mean_abs_error"])
            measured.setdefault("max_rel_error", {})[key] = clean(sel["max_rel_error"])
            rows.append([est, f"{d:g}", num(sel["max_abs_error"], 2), num(sel["mean_abs_error"], 2),
                         num(100 * float(sel["max_rel_error"]), 2), num(float(an["count_quantum"].sel(duration=d)), 1)])
    measured["count_quantum"] = {f"{d:g} ms": float(an["count_quantum"].sel(duration=d)) for d in durations}
    isi = [float(an["max_abs_error"].sel(estimator="isi", duration=d)) for d in durations]
    top = float(an["rate_analytical"].max())
    dt = dt_ms(ds)
    integrator = integrator_of(ds)
    lead = ("**1 / mean ISI**: largest error " + " and ".join(f"{num(e, 2)} Hz ({d:g} ms)"
                                                               for e, d in zip(isi, durations)) + " above rheobase")
    rel = float(an["max_rel_error"].sel(estimator="isi").max())
    steady = len(isi) < 2 or max(isi) - min(isi) <= 0.5 * max(isi)
    if integrator == "euler":
        text.append(lead + (": it does not improve with the duration, because it is not a sampling error" if steady
                            and len(isi) > 1 else "") + f". Spike times sit on the {num(dt, 2)} ms grid, so each "
                    "interval is off by up to about one step: a rate error up to about "
                    f"rate^2 dt = {num(top ** 2 * dt * 1e-3, 2)} Hz at the top rate of {num(top, 1)} Hz. The ISI "
                    "estimator is exact for periodic firing once two spikes exist, up to this time step.")
    else:
        text.append(lead + f". The {integrator} integrator places each spike at its crossing inside the "
                    f"{num(dt, 2)} ms step rather than on the grid; the largest relative error is {rel:.2g}"
                    + (", rounding: the ISI estimator is exact for periodic firing once two spikes exist."
                       if rel < 1e-9 else "."))
    cnt = [(d, float(an["max_abs_error"].sel(estimator="count", duration=d)),
            float(an["count_quantum"].sel(duration=d))) for d in durations]
    text.append(
        "**Spike count / duration**: largest error " + ", ".join(f"{num(e, 2)} Hz at {d:g} ms (1 / duration = "
                                                                 f"{num(q, 1)} Hz)" for d, e, q in cnt)
        + ". The count misses the fraction of an interval cut off at the end and the time before the first spike, so "
        "its error is of the order of 1 / duration (up to max(1, t_first / ISI) / duration) and shrinks only as the "
        "run gets longer.")
    header = ["estimator", "duration (ms)", "max abs error (Hz)", "mean abs error (Hz)", "max rel error (%)",
              "1 / duration (Hz)"]
    return measured, "\n\n".join(text + [table(header, rows)])
