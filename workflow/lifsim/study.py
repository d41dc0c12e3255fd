"""A config as a study in Python: every experiment's jobs, dataset, analysis, summary and figures, in-process.

``lifsim.load("config.yaml")`` (or a dict) validates and plans the config exactly
as the pipeline does; each experiment runs its jobs through the same stage
functions the workflow scripts call (``lifsim.kinds``), and its data takes
the same path as on disk: traces rounded to the float32 they are stored as.
So ``study["fi_curve"].run()`` holds the data of ``results/datasets/fi_curve.nc``.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import kinds
from .config import ExperimentPlan, load_merged, validate_structure
from .planning import plan


def as_stored(content):
    """A job's output as it reads back from its file: an ``xr.Dataset`` whose variables have the dtype
    their encoding stores (float32 traces)."""
    import numpy as np

    from .dataset import to_dataset

    ds = to_dataset(content) if isinstance(content, dict) else content
    for var in ds.variables.values():
        dtype = var.encoding.get("dtype")
        if dtype is not None and var.dtype != np.dtype(dtype):
            encoding = var.encoding
            var.data = var.values.astype(dtype)
            var.encoding = encoding
    return ds


@dataclass
class Experiment:
    """One experiment of a study: its plan (``.jobs``, the Snakemake view) and its stages, in-process."""

    plan: ExperimentPlan
    _jobs: dict = field(default_factory=dict, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def kind(self) -> kinds.Kind:
        return kinds.get(self.plan.kind)

    @property
    def jobs(self) -> dict[str, dict]:
        """Every simulation job by its file name below ``results/simulations/<name>/``: its params."""
        return self.plan.job_files()

    def job(self, name: str):
        """The dataset of one simulation job (simulated once, then kept)."""
        if name not in self._jobs:
            from .dataset import to_content  # as a job reads them from their files (lifsim.io.read_variables)

            inputs = [to_content(self.job(dep)) for dep in self.plan.inputs.get(name, [])]
            content = self.kind.stage("simulate")(self.jobs[name], inputs, threads=None)
            self._jobs[name] = as_stored(content)
        return self._jobs[name]

    def run(self):
        """The experiment's dataset: its jobs simulated and gathered (``results/datasets/<name>.nc``)."""
        if "dataset" not in self._cache:
            parts = {job: self.job(job) for job in self.plan.gathered}
            self._cache["dataset"] = self.kind.stage("gather")(self.plan.kind, self.name, parts)
        return self._cache["dataset"]

    def analyse(self):
        """The analysis dataset (``results/analysis/<name>.nc``), running what it needs."""
        from .analysis import analyse

        if "analysis" not in self._cache:
            extra = {job: self.job(f"analysis/{job}") for job in sorted(self.plan.analysis_jobs)}
            self._cache["analysis"] = analyse(self.plan.kind, self.run(), self.plan.analysis, extra)
        return self._cache["analysis"]

    def summarise(self) -> tuple[dict, str]:
        """``(numbers, rst text)`` of ``results/summaries/<name>.{json,rst}``."""
        from .summary import summarise

        return summarise(self.plan.kind, self.name, self.run(), self.analyse())

    def figures(self) -> dict:
        """``{file stem suffix: matplotlib Figure}`` of ``results/figures/<name><suffix>.<format>``."""
        from .plotting import figures

        return figures(self.plan.kind, self.run(), self.analyse(), self.plan.figures)


class Study(Mapping):
    """The experiments of a config, by name."""

    def __init__(self, config: dict):
        self.config = config
        self.experiments = {name: Experiment(p) for name, p in plan(config).items()}

    def __getitem__(self, name: str) -> Experiment:
        return self.experiments[name]

    def __iter__(self):
        return iter(self.experiments)

    def __len__(self) -> int:
        return len(self.experiments)

    def __repr__(self) -> str:
        return f"Study({', '.join(f'{n}: {e.plan.kind}' for n, e in self.experiments.items())})"


def load(*configs) -> Study:
    """A study from config files (later ones layered over earlier ones, as ``--configfile`` does) or
    from one dict; checked as the pipeline checks it (raises ``lifsim.config.ConfigError``)."""
    if len(configs) == 1 and isinstance(configs[0], Mapping):
        config = copy.deepcopy(dict(configs[0]))
        validate_structure(config)
    else:
        config = load_merged([Path(c) for c in configs])
    return Study(config)
