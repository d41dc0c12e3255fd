"""From a structurally valid config to the plan of every experiment (pure Python, run at DAG-build time).

Each experiment is resolved by its kind (``lifsim.kinds``): the kind's keys
are checked against the schema (the shared keys of
``definitions.experiment_keys`` it reads and its own), then its module builds
the jobs. Options of ``analysis:`` reach only the kinds whose analysis reads
them, so that they cannot trigger other reruns.
"""
from __future__ import annotations

from . import kinds
from .config.errors import ConfigError, did_you_mean, join
from .config.jobs import COMMON_KEYS, common_settings
from .config.loader import load_yaml
from .config.resolve import ExperimentPlan, quantity
from .config.schema import experiment_schema, validate_part, validate_structure

# The most simulation jobs one config may plan (each is a process of its own under Snakemake).
MAX_JOBS = 5000


def plan(config: dict) -> dict[str, ExperimentPlan]:
    """Resolve a structurally valid config into the plans of all experiments; raises ConfigError."""
    seed = int(config["seed"])  # the schema admits 7.0 as an integer; one spelling, one job identity
    analysis = analysis_options(config.get("analysis", {}))
    figures = figure_options(config.get("figures", {}))
    plans, total = {}, 0
    for name, exp in sorted(config["experiments"].items()):
        path = join("experiments", name)
        kind = check_experiment(exp, path)
        common = common_settings(config, exp, path)
        jobs = kind.build(name, exp, common, seed, path)
        analysis_jobs = kind.analysis_jobs(name, exp, common, path, jobs)
        used = {k: v for k, v in analysis.items() if k in kind.analysis_options}
        plans[name] = ExperimentPlan(
            name=name, kind=kind.name, jobs=jobs, analysis_jobs=analysis_jobs, analysis=used, figures=figures,
            warnings=common["warnings"], figure_suffixes=list(kind.figures_of(exp)),
            inputs={job: deps for job in jobs if (deps := kind.job_inputs(job))},
            gathered=kind.gathered(jobs) if kind.gathered else sorted(jobs))
        total += len(jobs) + len(analysis_jobs)
        if total > MAX_JOBS:
            raise ConfigError(path, f"expected at most {MAX_JOBS} simulation jobs in all, got {total} with this "
                              "experiment: raise max_points_per_job or split the study into several configs")
    check_file_names(config, plans)
    return plans


def check_file_names(config: dict, plans: dict[str, ExperimentPlan]) -> None:
    """Refuse names whose files would collide: two experiments or conditions that differ only in case (one
    file on a case-insensitive file system), or an experiment's name plus a figure suffix that is another's
    (``fi_curve_error`` beside ``fi_curve``, whose error figure is ``fi_curve_error.png``)."""
    seen: dict[str, str] = {}
    for name in sorted(plans):
        if name.lower() in seen:
            raise ConfigError(join("experiments", name), f"expected experiment names that differ in more than "
                              f"case, got {name!r} and {seen[name.lower()]!r} (one file on a case-insensitive "
                              "file system)")
        seen[name.lower()] = name
        for other, suffix in ((o, s) for o in plans for s in plans[o].figure_suffixes if s):
            if other != name and (other + suffix).lower() == name.lower():
                raise ConfigError(join("experiments", name), f"expected a name whose files are its own, got "
                                  f"{name!r}, which is the name of the {suffix!r} figure of experiment {other!r} "
                                  f"(results/figures/{other}{suffix}.*): rename one of the two")
        conds: dict[str, str] = {}
        for cond in sorted(config["experiments"][name].get("conditions", {})):
            if cond.lower() in conds:
                raise ConfigError(join(join("experiments", name), "conditions"), f"expected condition names "
                                  f"that differ in more than case, got {cond!r} and {conds[cond.lower()]!r}")
            conds[cond.lower()] = cond


def load(path) -> tuple[dict, dict]:
    """Load, validate and resolve a config file: ``(config, plans)``; raises ConfigError."""
    config = load_yaml(path)
    validate_structure(config)
    return config, plan(config)


def check_experiment(exp: dict, path: str) -> kinds.Kind:
    """The experiment's kind, after checking the experiment's keys against what the kind reads."""
    name = exp["kind"]
    if name not in kinds.REGISTRY:
        raise ConfigError(join(path, "kind"), f"expected one of {', '.join(map(repr, kinds.KINDS))} (the kinds "
                          f"of lifsim.kinds), got {name!r}{did_you_mean(str(name), list(kinds.KINDS))}")
    kind = kinds.get(name)
    used = COMMON_KEYS + kind.keys
    known = set(COMMON_KEYS).union(*(kinds.get(k).keys for k in kinds.KINDS))
    for key in exp:
        if key not in known:
            raise ConfigError(join(path, key), f"expected one of the keys {', '.join(sorted(used))}; got the "
                              f"unknown key {key!r}{did_you_mean(str(key), list(used))}")
        if key not in used:
            raise ConfigError(join(path, key), f"expected only keys that an experiment of kind {name!r} "
                              f"uses ({', '.join(sorted(used))}), got {key!r}, which it would ignore")
    validate_part(exp, experiment_schema(list(kinds.KINDS), used, kind.schema), path)
    return kind


def full_schema() -> dict:
    """The whole config schema with every kind's keys (for documentation): experiments of any kind."""
    from .config.schema import load_schema

    schema = dict(load_schema())
    shared = schema["definitions"]["experiment_keys"]["properties"]
    props = {"kind": {"type": "string", "enum": list(kinds.KINDS),
                      "description": "the experiment's kind: " + "; ".join(
                          f"{k}: {kinds.get(k).description}" for k in kinds.KINDS)}}
    props.update(shared)
    for k in kinds.KINDS:
        props.update({key: value for key, value in kinds.get(k).schema.items()})
    schema["properties"] = {**schema["properties"], "experiments": {
        **schema["properties"]["experiments"], "additionalProperties": {
            "type": "object", "required": ["kind"], "additionalProperties": False, "properties": props,
            "description": "one experiment: its kind and the keys that kind reads (see each key)"}}}
    return schema


def analysis_options(raw: dict) -> dict:
    return {"lock_tolerance": quantity(raw.get("lock_tolerance", "0.5 ms"), "time", "analysis.lock_tolerance"),
            "runaway_isi": quantity(raw.get("runaway_isi", "1 ms"), "time", "analysis.runaway_isi")}


def figure_options(raw: dict) -> dict:
    """What the plotting code reads, one spelling per value (the formats are in the output file names)."""
    return {"dpi": int(raw.get("dpi", 150)), "width": float(raw.get("width", 7.0))}
