# lifsim: conductance-based leaky integrate-and-fire simulations.
#
#   snakemake -c4            run every experiment (the default target `all`)
#   snakemake -c4 -n         show what would run, and why
#   snakemake -c4 archive    archive datasets, analysis and figures: results/archive/lifsim-<hash>.tar
#
# Data flow: config.yaml -> simulate_job -> gather_experiment -> analyse_experiment -> plot_<experiment>
# Outputs: results/{simulations,datasets,analysis,figures,logs}/ (see README.md).
from snakemake.utils import min_version

min_version("9.0")


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/analyse.smk"
include: "workflow/rules/plot.smk"
include: "workflow/rules/convergence.smk"
include: "workflow/rules/archive.smk"


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
        figures=ALL_FIGURES,
