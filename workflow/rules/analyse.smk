# Stage 2: rates and derived numbers from each experiment's dataset (and its analysis-only simulations);
# then a short summary of the measured numbers (RST for the report captions, JSON for everyone else).


rule analyse_experiment:
    input:
        code=stage_code("analyse"),
        dataset=rules.gather_experiment.output.dataset,
        extra=lambda w: analysis_job_files(w.experiment),
    output:
        analysis="results/analysis/{experiment}.nc",
    log:
        "results/logs/analyse_experiment/{experiment}.log",
    benchmark:
        "results/benchmarks/analyse_experiment/{experiment}.tsv"
    threads: 1
    params:
        spec=lambda w: canonical_json(
            {
                "kind": PLANS[w.experiment].kind,
                "options": PLANS[w.experiment].analysis,
                "extra": sorted(PLANS[w.experiment].analysis_jobs),
                "stage": stage_ref(w.experiment, "analyse"),
            }
        ),
    script:
        "../scripts/analyse.py"


rule summarise_experiment:
    input:
        code=stage_code("summarise"),
        dataset=rules.gather_experiment.output.dataset,
        analysis=rules.analyse_experiment.output.analysis,
    output:
        rst="results/summaries/{experiment}.rst",
        json="results/summaries/{experiment}.json",
    log:
        "results/logs/summarise_experiment/{experiment}.log",
    benchmark:
        "results/benchmarks/summarise_experiment/{experiment}.tsv"
    params:
        spec=lambda w: canonical_json(
            {
                "experiment": w.experiment,
                "kind": PLANS[w.experiment].kind,
                "stage": stage_ref(w.experiment, "summarise"),
            }
        ),
    script:
        "../scripts/summarise.py"
