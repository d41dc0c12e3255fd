# Stage 3: figures. One rule per experiment, because each kind draws its own set of files.
# The figures are flagged for the report; their captions (workflow/report/*.rst) include the
# experiment's summary, which is therefore an input here.

for _experiment in EXPERIMENTS:

    rule:
        name:
            f"plot_{_experiment}"
        input:
            code=CODE[("plot", PLANS[_experiment].kind)],
            dataset=f"results/datasets/{_experiment}.nc",
            analysis=f"results/analysis/{_experiment}.nc",
            summary=f"results/summaries/{_experiment}.rst",
        output:
            report_figures(_experiment),
        log:
            f"results/logs/plot/{_experiment}.log",
        benchmark:
            f"results/benchmarks/plot/{_experiment}.tsv"
        threads: 1
        params:
            spec=canonical_json(
                {
                    "experiment": _experiment,
                    "kind": PLANS[_experiment].kind,
                    "options": PLANS[_experiment].figures,
                    "stage": stage_ref(_experiment, "plot"),
                }
            ),
        script:
            "../scripts/plot.py"


# Drawing is cheap: on a cluster it runs in the main snakemake process (see `localrules:` in the Snakefile).
workflow.localrules(*(f"plot_{e}" for e in EXPERIMENTS))
