# Configuration: load, validate (schema + physical checks) and resolve into one parameter set per job.
# Runs at DAG-build time, before any job: a bad config stops here and writes nothing.
import json
import os
import sys
from pathlib import Path

from snakemake.utils import validate

# The checkout this file belongs to (also when another workflow uses lifsim as a module, where
# workflow.basedir is that workflow's folder).
CHECKOUT = Path(workflow.current_basedir).resolve().parents[1]
LIFSIM_SRC = str(CHECKOUT / "workflow")
# The DAG is built with the lifsim of this checkout, not an installed copy from elsewhere;
# each script puts the same folder first on its own path (see workflow/scripts/).
sys.path.insert(0, LIFSIM_SRC)

from lifsim import codedeps, kinds  # noqa: E402
from lifsim.config import ConfigError, canonical_json, load_merged  # noqa: E402
from lifsim.config.resources import job_mem_mb  # noqa: E402
from lifsim.planning import plan  # noqa: E402

# The config files in use, in Snakemake's order: config.yaml, then each --configfile layered on it key by key
# (lifsim.config.merge); --replace-workflow-config drops config.yaml. Snakemake itself reads the --configfile
# files before this runs, and fails on a missing one with its own traceback (see docs/troubleshooting.md).
# A run elsewhere (snakemake -s <checkout>/Snakefile -d <dir>) without a config.yaml in <dir> uses the
# checkout's own.
_DEFAULT_CONFIG = "config.yaml" if Path("config.yaml").is_file() else str(CHECKOUT / "config.yaml")
CONFIG_FILES = [str(p) for p in workflow.overwrite_configfiles]
_REPLACE = workflow.config_settings.replace_workflow_config
if not CONFIG_FILES or (not _REPLACE and CONFIG_FILES[0] != str(Path(_DEFAULT_CONFIG).absolute())):
    CONFIG_FILES.insert(0, _DEFAULT_CONFIG)


def _load_config():
    # strict YAML (duplicate keys, tags, line/column), unknown keys with "did you mean", types, defaults;
    # config holds the --configfile values (again: the same layers) and the --config KEY=VALUE overrides
    merged = load_merged(CONFIG_FILES, config)
    validate(merged, "../schemas/config.schema.yaml")
    return merged


try:
    config.update(_load_config())
    PLANS = plan(config)
except ConfigError as exc:
    sys.stderr.write(f"\nlifsim: {exc}\n\n")
    raise SystemExit(1)
for _plan in PLANS.values():
    for _warning in _plan.warnings:
        sys.stderr.write(f"\nlifsim: WARNING at {_warning}\n\n")

EXPERIMENTS = sorted(PLANS)
FORMATS = config["figures"]["formats"]
SCRIPTS = CHECKOUT / "workflow" / "scripts"


# Package code a rule's jobs run, from the import closure of its script and of the experiment kind's
# module and stage (lifsim.codedeps): listed as inputs, so that editing such a module reruns exactly
# the jobs that run it. Parsed imports are cached per file (mtime and size) between DAG builds.
_CODEDEPS_CACHE = Path(".snakemake") / "lifsim_codedeps.json"
try:
    codedeps.CACHE.update(json.loads(_CODEDEPS_CACHE.read_text()))
except (OSError, ValueError):
    pass
_CODEDEPS_STATE = dict(codedeps.CACHE)


def _input_path(path):
    """A path as an input: relative to the working directory when inside it (the checkout by default)."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _closure(script, kind=None, stage=None):
    """The package files the script imports, with the module of the kind's ``stage`` function (the rule
    passes that function's name in its params; the job imports nothing else of lifsim)."""
    modules = [kinds.get(kind).stage_module(stage)] if kind else []
    return [_input_path(p) for p in codedeps.closure([SCRIPTS / script], modules)]


# (script, stage) of each rule that runs an experiment kind's stage; computed once per DAG build
STAGE_SCRIPTS = {
    "simulate": "simulate.py",
    "gather": "gather.py",
    "analyse": "analyse.py",
    "summarise": "summarise.py",
    "plot": "plot.py",
}
CODE = {
    (stage, kind): _closure(script, kind, stage)
    for stage, script in STAGE_SCRIPTS.items()
    for kind in sorted({p.kind for p in PLANS.values()})
}
ARCHIVE_CODE = _closure("archive.py")
if codedeps.CACHE != _CODEDEPS_STATE:
    try:
        _CODEDEPS_CACHE.parent.mkdir(exist_ok=True)
        _CODEDEPS_CACHE.write_text(json.dumps(codedeps.CACHE, sort_keys=True))
    except OSError:
        pass  # a read-only working directory: parse again next time


def stage_code(stage):
    """The package code inputs of an experiment's jobs of ``stage`` (a function of the wildcards)."""
    return lambda w: CODE[(stage, PLANS[w.experiment].kind)]


def stage_ref(experiment, stage):
    """``"module:function"`` of the function that runs ``stage`` for the experiment's kind."""
    return getattr(kinds.get(PLANS[experiment].kind), stage)


def plan_of(wildcards):
    return PLANS[wildcards.experiment]


def job_spec(wildcards):
    return PLANS[wildcards.experiment].job_files()[wildcards.job]


def job_params(wildcards):
    return canonical_json(job_spec(wildcards))


def job_inputs(wildcards):
    """Datasets of the jobs this job reads (a convergence measurement reads its reference)."""
    deps = PLANS[wildcards.experiment].inputs.get(wildcards.job, [])
    return [f"results/simulations/{wildcards.experiment}/{job}.nc" for job in deps]


def job_threads(wildcards):
    """Two threads for jobs large enough to use the compiled kernel's threads (> 1e9 neuron-steps)."""
    params = job_spec(wildcards).get("job", job_spec(wildcards))
    return 2 if params["batch"]["size"] * params["duration"] / params["dt"] > 1e9 else 1


def simulation_mem_mb(wildcards, attempt):
    """Memory (MiB) a simulation job asks a cluster for; a retried job asks for `attempt` times as much."""
    params = job_spec(wildcards)
    return job_mem_mb(params.get("job", params), attempt)


def gathered_files(experiment):
    return [f"results/simulations/{experiment}/{job}.nc" for job in PLANS[experiment].gathered]


def analysis_job_files(experiment):
    """The simulations only the analysis of ``experiment`` reads (see the kind's ``analysis_jobs``)."""
    return [f"results/simulations/{experiment}/analysis/{job}.nc" for job in sorted(PLANS[experiment].analysis_jobs)]


def figure_files(experiment):
    return [
        f"results/figures/{experiment}{suffix}.{fmt}" for suffix in PLANS[experiment].figure_suffixes for fmt in FORMATS
    ]


def caption(kind, suffix):
    """The report caption of a figure: the file the kind names under workflow/report/, or the generic one."""
    kind = kinds.get(kind)
    name = {**kind.figures, **kind.sweep_figures}[suffix]
    return f"../report/{name}" if name else "../report/figure.rst"


def report_figures(experiment):
    """The figures of ``experiment``, flagged for the HTML report (snakemake --report results/report.html)."""
    kind = PLANS[experiment].kind
    flagged = []  # (`report(` may not start a line: Snakemake's parser would read the `report:` keyword)
    for suffix in PLANS[experiment].figure_suffixes:
        for fmt in FORMATS:
            labels = {"figure": f"{experiment}{suffix}", "format": fmt.upper()}
            path = f"results/figures/{experiment}{suffix}.{fmt}"
            flagged.append(report(path, caption=caption(kind, suffix), category=experiment, labels=labels))
    return flagged


ALL_FIGURES = [f for e in EXPERIMENTS for f in figure_files(e)]


wildcard_constraints:
    experiment="|".join(EXPERIMENTS) or "(?!)",
    job=r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?",
