"""Rates and derived numbers, computed from an experiment's dataset (no file access)."""
from __future__ import annotations

import json

from .. import provenance


def analyse(kind: str, ds, options: dict, extra: dict | None = None, stage: str | None = None):
    """The analysis dataset of an experiment of the given kind (``stage`` names its analysis function,
    ``"module:function"``, as the pipeline passes it; default: from the registry).

    ``extra`` holds the datasets of the simulations only the analysis reads
    (job name -> dataset; see ``lifsim.config.analysis_jobs``); kinds without
    such jobs are called as ``fn(ds, options)``.
    """
    from ..kinds import stage_function

    fn = stage_function(kind, "analyse", stage)
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

