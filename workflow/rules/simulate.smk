# Stage 1: the simulation jobs of every experiment (per condition, per chunk of a sweep, the analysis-only
# runs under analysis/, a convergence study's references and measurements); then one dataset per experiment.


rule simulate_job:
    input:
        code=stage_code("simulate"),
        inputs=job_inputs,
    output:
        dataset="results/simulations/{experiment}/{job}.nc",
    log:
        "results/logs/simulate_job/{experiment}/{job}.log",
    benchmark:
        "results/benchmarks/simulate_job/{experiment}/{job}.tsv"
    threads: lambda w: job_threads(w)
    resources:
        mem_mb=simulation_mem_mb,  # estimated from the job's size (lifsim.config.resources)
    params:
        job=job_params,
        stage=lambda w: stage_ref(w.experiment, "simulate"),
    script:
        "../scripts/simulate.py"


rule gather_experiment:
    input:
        code=stage_code("gather"),
        jobs=lambda w: gathered_files(w.experiment),
    output:
        dataset="results/datasets/{experiment}.nc",
    log:
        "results/logs/gather_experiment/{experiment}.log",
    benchmark:
        "results/benchmarks/gather_experiment/{experiment}.tsv"
    threads: 1
    params:
        spec=lambda w: canonical_json(
            {
                "experiment": w.experiment,
                "kind": PLANS[w.experiment].kind,
                "jobs": PLANS[w.experiment].gathered,
                "stage": stage_ref(w.experiment, "gather"),
            }
        ),
    script:
        "../scripts/gather.py"
