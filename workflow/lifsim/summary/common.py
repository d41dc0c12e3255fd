"""Shared pieces of the summaries: number formatting, RST tables, parameters and software versions."""
from __future__ import annotations

import json
import math

from .. import units
from ..analysis.cases import case_list  # noqa: F401 - re-exported for the summaries
from ..params import NEURON_PARAMS


def num(value, digits: int = 3) -> str:
    """A number for prose: fixed decimals, a real minus sign avoided (plain '-'), 'n/a' for NaN."""
    if value is None or isinstance(value, float) and math.isnan(value):
        return "n/a"
    return f"{float(value):.{digits}f}"


def clean(value):
    """A JSON-safe float (NaN -> None)."""
    value = float(value)
    return None if math.isnan(value) else value


def clean_list(values) -> list:
    """``[clean(v) for v in values]`` of an array, in one pass (a dense sweep has a million values)."""
    import numpy as np

    return [None if v != v else v for v in np.asarray(values, dtype=np.float64).tolist()]


def table(header: list[str], rows: list[list[str]]) -> str:
    """An RST list-table."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header] + rows:
        lines.append("   * - " + str(row[0]))
        lines.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(lines) + "\n"


def _display(name: str, value: float) -> str:
    dim = NEURON_PARAMS[name][0]
    return f"{units.to_display(value, dim):g} {units.DISPLAY_UNITS[dim]}"


def job_params(ds) -> dict:
    """The resolved parameters of the experiment's jobs (job name -> params, SI)."""
    params = json.loads(ds.attrs["lifsim_params"])
    return {name: p.get("job", p) for name, p in params.items()}  # a convergence job holds its run in "job"


def condition_params(ds) -> dict:
    """The resolved parameters of one job per condition (or f-I duration label): label -> params."""
    out = {}
    for p in job_params(ds).values():
        out.setdefault(p.get("label", p["condition"]), p)
    return out


def integrator_of(ds) -> str:
    """The integrator of the experiment's jobs ('euler', 'exact'; 'mixed' if they differ)."""
    names = {p["integrator"] for p in job_params(ds).values()}
    return names.pop() if len(names) == 1 else "mixed"


def dt_ms(ds) -> float:
    """The time step of the experiment's jobs (ms)."""
    return next(iter(job_params(ds).values()))["dt"] * 1e3


def parameters_rst(params: dict, title: str) -> str:
    """Shared neuron parameters in a line, the ones that differ between jobs in a table."""
    neurons = {job: p["neuron"] for job, p in params.items()}
    names = sorted({k for n in neurons.values() for k in n}, key=list(NEURON_PARAMS).index)
    shared = [k for k in names if len({n.get(k) for n in neurons.values()}) == 1]
    varying = [k for k in names if k not in shared]
    first = next(iter(params.values()))
    runs = sorted({(p["integrator"], p["dt"], p["duration"]) for p in params.values()})
    run_text = "; ".join(f"{i}, dt = {dt * 1e3:g} ms, duration = {d * 1e3:g} ms" for i, dt, d in runs)
    out = [f"**{title}** ({run_text}; reset {'on' if first['reset'] else 'off'}). Shared: "
           + ", ".join(f"{k} = {_display(k, neurons[next(iter(neurons))][k])}" for k in shared) + "."]
    if varying:
        out.append("")
        out.append(table(["job"] + varying, [[job] + [_display(k, n[k]) if k in n else "(swept)" for k in varying]
                                            for job, n in neurons.items()]))
    return "\n".join(out) + "\n"


def provenance_numbers(ds, an) -> dict:
    return {"software": software(an), "params": job_params(ds),
            "analysis_jobs_params": json.loads(an.attrs.get("analysis_jobs_params", "{}")),
            "analysis_options": json.loads(an.attrs["lifsim_params"]).get("analysis", {})}


def software(an) -> dict:
    out = {k.removeprefix("version_"): v for k, v in sorted(an.attrs.items()) if k.startswith("version_")}
    out["git_commit"] = an.attrs.get("git_commit", "unknown")
    return out


def provenance_rst(ds, an) -> str:
    parts = [parameters_rst(job_params(ds), "Parameters of the figure runs")]
    extra = json.loads(an.attrs.get("analysis_jobs_params", "{}"))
    if extra:
        parts.append(parameters_rst(extra, "Parameters of the analysis-only runs"))
    options = json.loads(an.attrs["lifsim_params"]).get("analysis", {})
    if options:
        parts.append("**Analysis options**: " + ", ".join(f"{k} = {v * 1e3:g} ms" for k, v in sorted(options.items()))
                     + ".\n")
    soft = software(an)
    parts.append("**Software** (of the analysis job): " + ", ".join(f"{k} {v}" for k, v in soft.items()) + ".\n")
    return "\n".join(parts)


def generic_summary(ds, an) -> tuple[dict, str]:
    """For kinds without their own summary: every scalar or small variable of the analysis."""
    measured, rows = {}, []
    for name, var in an.data_vars.items():
        if var.size <= 20 and var.dtype.kind in "fi":
            measured[name] = [clean(v) for v in var.values.ravel()]
            rows.append([name, ", ".join(num(v) for v in var.values.ravel()), var.attrs.get("units", ""),
                         var.attrs.get("long_name", "")])
    return measured, table(["variable", "values", "units", "meaning"], rows) if rows else ""
