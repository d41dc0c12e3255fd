# Configuration: load, validate (schema + physical checks) and resolve into one parameter set per job.
# Runs at DAG-build time, before any job: a bad config stops here and writes nothing.
import sys
from pathlib import Path

from snakemake.utils import validate

LIFSIM_SRC = str(Path(workflow.basedir) / "workflow")
# The DAG is built with the lifsim of this checkout, not an installed copy from elsewhere;
# each script puts the same folder first on its own path (see workflow/scripts/).
sys.path.insert(0, LIFSIM_SRC)

from lifsim.config import FIGURES, ConfigError, canonical_json, load_merged, plan  # noqa: E402
from lifsim.config.resources import job_mem_mb  # noqa: E402


# The config files in use, in Snakemake's order: config.yaml, then each --configfile layered on it key by key
# (lifsim.config.merge); --replace-workflow-config drops config.yaml. Snakemake itself reads the --configfile
# files before this runs, and fails on a missing one with its own traceback (see docs/troubleshooting.md).
CONFIG_FILES = [str(p) for p in workflow.overwrite_configfiles]
_REPLACE = workflow.config_settings.replace_workflow_config
if not CONFIG_FILES or (not _REPLACE and CONFIG_FILES[0] != str(Path("config.yaml").absolute())):
    CONFIG_FILES.insert(0, "config.yaml")


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


def _code(*patterns):
    """Package files a rule's jobs run on: listed as inputs so that editing them reruns the jobs."""
    root = Path(LIFSIM_SRC) / "lifsim"
    return sorted(str(p.relative_to(workflow.basedir)) for pat in patterns for p in root.glob(pat))


SHARED_CODE = _code("__init__.py", "io.py", "provenance.py", "params.py", "units.py")
SIMULATION_CODE = SHARED_CODE + _code("sim/*.py", "rng.py", "dataset.py", "spikes.py")
GATHER_CODE = SHARED_CODE + _code("dataset.py", "gather.py", "spikes.py")
ANALYSIS_CODE = SHARED_CODE + _code("analysis/*.py", "spikes.py")
PLOT_CODE = SHARED_CODE + _code("plotting/*.py")
SUMMARY_CODE = SHARED_CODE + _code("summary/*.py", "spikes.py")


def job_params(wildcards):
    return canonical_json(PLANS[wildcards.experiment].jobs[wildcards.job])


def job_threads(wildcards):
    """Two threads for jobs large enough to use the compiled kernel's threads (> 1e9 neuron-steps)."""
    params = PLANS[wildcards.experiment].jobs[wildcards.job]
    return 2 if params["batch"]["size"] * params["duration"] / params["dt"] > 1e9 else 1


def simulation_mem_mb(wildcards, attempt):
    """Memory (MiB) a simulation job asks a cluster for; a retried job asks for `attempt` times as much."""
    return job_mem_mb(PLANS[wildcards.experiment].jobs[wildcards.job], attempt)


def analysis_job_params(wildcards):
    return canonical_json(PLANS[wildcards.experiment].analysis_jobs[wildcards.job])


def analysis_job_files(experiment):
    """The simulations only the analysis of ``experiment`` reads (see lifsim.config.analysis_jobs)."""
    return [f"results/simulations/{experiment}/analysis/{job}.nc" for job in sorted(PLANS[experiment].analysis_jobs)]


def figure_files(experiment):
    kind = PLANS[experiment].kind
    return [f"results/figures/{experiment}{suffix}.{fmt}" for suffix in FIGURES[kind] for fmt in FORMATS]


def caption(kind, suffix):
    """The report caption of a figure: workflow/report/<kind><suffix>.rst, or the generic one."""
    name = f"{kind}{suffix}.rst"
    specific = (Path(workflow.basedir) / "workflow" / "report" / name).is_file()
    return f"../report/{name}" if specific else "../report/figure.rst"


def report_figures(experiment):
    """The figures of ``experiment``, flagged for the HTML report (snakemake --report results/report.html)."""
    kind = PLANS[experiment].kind
    return [report(f"results/figures/{experiment}{suffix}.{fmt}", caption=caption(kind, suffix),
                   category=experiment, labels={"figure": f"{experiment}{suffix}", "format": fmt.upper()})
            for suffix in FIGURES[kind] for fmt in FORMATS]


ALL_FIGURES = [f for e in EXPERIMENTS for f in figure_files(e)]


wildcard_constraints:
    experiment="|".join(EXPERIMENTS) or "(?!)",
    job=r"[A-Za-z0-9_.-]+",
