"""Rates and derived numbers, computed from an experiment's dataset (no file access)."""
from __future__ import annotations

import json

from .. import provenance


def analyse(kind: str, ds, options: dict, extra: dict | None = None):
    """The analysis dataset of an experiment of the given kind.

    ``extra`` holds the datasets of the simulations only the analysis reads
    (job name -> dataset; see ``lifsim.config.analysis_jobs``); kinds without
    such jobs are called as ``fn(ds, options)``.
    """
    if kind == "fi_curve":
        from .fi import analyse_fi as fn
    elif kind == "synaptic_response":
        from .synaptic import analyse_synaptic as fn
    elif kind == "initial_conditions":
        from .trains import analyse_trials as fn
    elif kind == "coupled_pair":
        from .pair import analyse_pair as fn
    elif kind == "pair_grid":
        from .synchrony import analyse_synchrony as fn
    elif kind == "convergence":
        from .convergence import analyse_convergence as fn
    else:
        raise ValueError(f"no analysis for experiment kind {kind!r}")
    out = fn(ds, options, extra) if extra else fn(ds, options)
    out.attrs = {"title": f"lifsim analysis of {ds.attrs.get('experiment', kind)}", "Conventions": "CF-1.10",
                 "experiment": ds.attrs.get("experiment", kind), "kind": kind,
                 "dataset_params_sha256": ds.attrs.get("lifsim_params_sha256", "")}
    dataset_params = json.loads(ds.attrs["lifsim_params"])  # {job: params} of the gathered jobs
    out.attrs.update(provenance.attributes({"analysis": options, "dataset": dataset_params},
                                           list(dataset_params.values())))
    if extra:
        from ..config import canonical_json

        out.attrs["analysis_jobs_params"] = canonical_json({name: json.loads(d.attrs["lifsim_params"])
                                                            for name, d in sorted(extra.items())})
    return out
