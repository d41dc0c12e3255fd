"""Rates and derived numbers, computed from an experiment's dataset (no file access)."""
from __future__ import annotations

import json

from .. import provenance


def analyse(kind: str, ds, options: dict):
    """The analysis dataset of an experiment of the given kind."""
    if kind == "fi_curve":
        from .fi import analyse_fi as fn
    elif kind == "synaptic_response":
        from .synaptic import analyse_synaptic as fn
    elif kind == "initial_conditions":
        from .trains import analyse_trials as fn
    elif kind == "coupled_pair":
        from .trains import analyse_pair as fn
    elif kind == "pair_grid":
        from .synchrony import analyse_synchrony as fn
    elif kind == "convergence":
        from .convergence import analyse_convergence as fn
    else:
        raise ValueError(f"no analysis for experiment kind {kind!r}")
    out = fn(ds, options)
    out.attrs = {"title": f"lifsim analysis of {ds.attrs.get('experiment', kind)}", "Conventions": "CF-1.10",
                 "experiment": ds.attrs.get("experiment", kind), "kind": kind,
                 "dataset_params_sha256": ds.attrs.get("lifsim_params_sha256", "")}
    dataset_params = json.loads(ds.attrs["lifsim_params"])  # {job: params} of the gathered jobs
    out.attrs.update(provenance.attributes({"analysis": options, "dataset": dataset_params},
                                           list(dataset_params.values())))
    return out
