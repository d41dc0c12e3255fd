# Stage 1: one simulation job per condition (per duration for the f-I curve); then one dataset per experiment.


rule simulate_job:
    input:
        code=SIMULATION_CODE,
    output:
        dataset="results/simulations/{experiment}/{job}.nc",
    params:
        job=job_params,
    log:
        "results/logs/simulate_job/{experiment}/{job}.log",
    threads: lambda w: job_threads(w)
    resources:
        mem_mb=simulation_mem_mb,  # estimated from the job's size (lifsim.config.resources)
    script:
        "../scripts/simulate.py"


rule simulate_analysis_job:
    # Simulations only the analysis reads (lifsim.config.analysis_jobs); same script, own folder.
    input:
        code=SIMULATION_CODE,
    output:
        dataset="results/simulations/{experiment}/analysis/{job}.nc",
    params:
        job=analysis_job_params,
    log:
        "results/logs/simulate_analysis_job/{experiment}/{job}.log",
    script:
        "../scripts/simulate.py"


rule gather_experiment:
    input:
        code=GATHER_CODE,
        jobs=lambda w: expand("results/simulations/{experiment}/{job}.nc", experiment=w.experiment,
                              job=sorted(PLANS[w.experiment].jobs)),
    output:
        dataset="results/datasets/{experiment}.nc",
    params:
        spec=lambda w: canonical_json({"experiment": w.experiment, "kind": PLANS[w.experiment].kind,
                                       "jobs": sorted(PLANS[w.experiment].jobs)}),
    log:
        "results/logs/gather_experiment/{experiment}.log",
    threads: 1
    script:
        "../scripts/gather.py"
