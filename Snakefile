# lifsim: conductance-based leaky integrate-and-fire simulations.
#
#   snakemake -c4            run every experiment (the default target `all`)
#   snakemake -c4 -n         show what would run, and why
#   snakemake -c4 archive    archive datasets, analysis and figures: results/archive/lifsim-<hash>.tar
#   snakemake --report results/report.html    the HTML report of every figure (after a run)
#
# Data flow: config.yaml -> simulate_job -> gather_experiment -> analyse_experiment
#            -> summarise_experiment -> plot_<experiment>
# Outputs: results/{simulations,datasets,analysis,summaries,figures,logs}/ (see README.md).
from snakemake.utils import min_version

min_version("9.0")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/analyse.smk"
include: "workflow/rules/plot.smk"
include: "workflow/rules/archive.smk"
include: "workflow/rules/handlers.smk"


# Cheap steps run inside the main snakemake process, not as cluster jobs (no effect on a local run);
# the plot_<experiment> rules are marked in plot.smk. See profiles/slurm/ and README "Running on a cluster".
localrules:
    all,
    gather_experiment,
    analyse_experiment,


rule all:
    default_target: True
    input:
        datasets=expand("results/datasets/{experiment}.nc", experiment=EXPERIMENTS),
        analysis=expand("results/analysis/{experiment}.nc", experiment=EXPERIMENTS),
        summaries=expand("results/summaries/{experiment}.{ext}", experiment=EXPERIMENTS, ext=["rst", "json"]),
        figures=ALL_FIGURES,
