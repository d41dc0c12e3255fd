"""Run one experiment of the default config, edited, through the package: plan -> simulate -> datasets ->
gather -> analysis (no files, no snakemake)."""
from __future__ import annotations

import copy

from conftest import default_config

from lifsim.analysis import analyse
from lifsim.config import validate_structure
from lifsim.dataset import job_dataset
from lifsim.kinds import get as get_kind
from lifsim.planning import plan
from lifsim.sim import simulate


def run_experiment(name, edit=lambda exp, cfg: None):
    """``(dataset, analysis)`` of experiment ``name`` after ``edit(exp, cfg)`` changed its config in place."""
    cfg = copy.deepcopy(default_config())
    exp = cfg["experiments"][name]
    edit(exp, cfg)
    cfg["experiments"] = {name: exp}
    validate_structure(cfg)
    p = plan(cfg)[name]
    gather = get_kind(p.kind).stage("gather")
    ds = gather(p.kind, name, {n: job_dataset(j, simulate(j)) for n, j in sorted(p.jobs.items())})
    extra = {n: job_dataset(j, simulate(j)) for n, j in p.analysis_jobs.items()}
    an = analyse(p.kind, ds, p.analysis, extra) if extra else analyse(p.kind, ds, p.analysis)
    return ds, an
