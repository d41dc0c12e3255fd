"""What an experiment kind declares: one ``Kind`` per module of ``lifsim.kinds``.

A kind says which config keys it reads (and the JSON schema of any key only it
has), how it builds its simulation jobs and the simulations only its analysis
reads, and which functions run each stage of the pipeline on its data. The
stage functions are named by ``"module:function"`` strings and imported only
when a stage runs, so that planning (at Snakemake's DAG-build time) never
imports numpy, xarray or matplotlib.

Stage functions and their signatures:

``simulate``  ``fn(params, inputs, threads) -> content``: one job; ``inputs`` are the outputs of the jobs
              ``job_inputs`` names, as ``lifsim.dataset.job_variables`` content (``lifsim.io.read_variables``:
              no xarray in a simulation job); ``content`` is such content or an ``xr.Dataset``
``gather``    ``fn(kind, experiment, {job name: dataset}) -> xr.Dataset``: the experiment's dataset
``analyse``   ``fn(dataset, options[, extra]) -> xr.Dataset``; ``extra`` the analysis-only jobs' datasets
``summarise`` ``fn(dataset, analysis) -> (numbers, rst text)``
``plot``      ``fn(dataset, analysis, options) -> {file stem suffix: Figure}``
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field


def resolve(ref: str) -> Callable:
    """The function a ``"module:function"`` reference names (imported now)."""
    module, function = ref.split(":")
    return getattr(importlib.import_module(module), function)


def no_jobs(name, exp, common, path, jobs) -> dict:
    """The analysis of most kinds reads only the experiment's dataset."""
    return {}


def no_inputs(job_name: str) -> list[str]:
    """Most simulation jobs read no other job's output."""
    return []


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    keys: tuple[str, ...]                   # config keys the kind reads besides lifsim.config.jobs.COMMON_KEYS
    build: Callable                         # (name, exp, common, seed, path) -> {job name: params}
    analyse: str
    plot: str
    figures: dict[str, str]                 # file stem suffix -> report caption file (workflow/report/), "" generic
    sweep_figures: dict[str, str] = field(default_factory=dict)  # figures drawn only when it has a sweep
    analysis_jobs: Callable = no_jobs       # (name, exp, common, path, jobs) -> {job name: params}
    job_inputs: Callable = no_inputs        # job name -> names of the jobs whose datasets it reads
    gathered: Callable | None = None        # {job name: params} -> names the gather reads (default: all)
    simulate: str = "lifsim.jobrun:simulate_job"
    gather: str = "lifsim.gather:gather_experiment"
    summarise: str = "lifsim.summary.common:generic_summary"
    analysis_options: tuple[str, ...] = ()  # keys of the config's `analysis:` its analysis reads
    schema: dict = field(default_factory=dict)  # JSON schema of keys only this kind has: {key: schema}

    def stage(self, name: str) -> Callable:
        """The function that runs stage ``name`` (``simulate``, ``gather``, ``analyse``, ``summarise``, ``plot``)."""
        return resolve(getattr(self, name))

    def stage_module(self, name: str) -> str:
        """The module that holds stage ``name``'s function (for the rules' code inputs)."""
        return getattr(self, name).split(":")[0]

    def figures_of(self, exp: dict) -> dict[str, str]:
        """The figures an experiment of this kind draws (``exp``: its config): the sweep ones with a sweep."""
        return {**self.figures, **(self.sweep_figures if exp.get("sweep") else {})}
