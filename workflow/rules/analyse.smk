# Stage 2: rates and derived numbers from each experiment's dataset.


rule analyse_experiment:
    input:
        code=ANALYSIS_CODE,
        dataset=rules.gather_experiment.output.dataset,
    output:
        analysis="results/analysis/{experiment}.nc",
    params:
        spec=lambda w: canonical_json({"kind": PLANS[w.experiment].kind, "options": PLANS[w.experiment].analysis}),
    log:
        "results/logs/analyse_experiment/{experiment}.log",
    threads: 1
    script:
        "../scripts/analyse.py"
