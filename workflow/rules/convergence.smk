# Convergence experiments (kind: convergence): a reference per case, then each integrator at every dt,
# gathered into results/datasets/<experiment>.nc. Analysis and figures use the generic rules.
# Job names are "<integrator>/<case>" and "reference/<case>" (see lifsim.config.convergence), so
# their files sit one folder deeper than simulate_job's and never match its pattern.
from lifsim.config.convergence import reference_of  # noqa: E402

CONVERGENCE = [e for e in EXPERIMENTS if PLANS[e].kind == "convergence"]
REFERENCE_CODE = SHARED_CODE + _code("reference.py", "convergence.py", "rng.py", "sim/__init__.py", "sim/batch.py",
                                     "sim/result.py", "sim/run.py")
MEASURE_CODE = SIMULATION_CODE + _code("convergence.py", "analysis/__init__.py", "analysis/rates.py")


rule reference_convergence:
    input:
        code=REFERENCE_CODE,
    output:
        dataset="results/simulations/{experiment}/{integrator}/{case}.nc",
    params:
        job=lambda w: canonical_json(PLANS[w.experiment].jobs[f"{w.integrator}/{w.case}"]),
    log:
        "results/logs/reference_convergence/{experiment}/{integrator}/{case}.log",
    wildcard_constraints:
        experiment="|".join(CONVERGENCE) or "(?!)",
        integrator="reference",
    script:
        "../scripts/convergence_reference.py"


rule measure_convergence:
    input:
        code=MEASURE_CODE,
        reference=lambda w: [f"results/simulations/{w.experiment}/{ref}.nc"
                             for ref in [reference_of(f"{w.integrator}/{w.case}")] if ref],
    output:
        dataset="results/simulations/{experiment}/{integrator}/{case}.nc",
    params:
        job=lambda w: canonical_json(PLANS[w.experiment].jobs[f"{w.integrator}/{w.case}"]),
    log:
        "results/logs/measure_convergence/{experiment}/{integrator}/{case}.log",
    wildcard_constraints:
        experiment="|".join(CONVERGENCE) or "(?!)",
        integrator="euler|exact",
    script:
        "../scripts/convergence_measure.py"


rule gather_convergence:
    input:
        code=SHARED_CODE + _code("convergence.py"),
        jobs=lambda w: [f"results/simulations/{w.experiment}/{job}.nc" for job in sorted(PLANS[w.experiment].jobs)
                        if not job.startswith("reference/")],
    output:
        dataset="results/datasets/{experiment}.nc",
    params:
        spec=lambda w: canonical_json({"experiment": w.experiment,
                                       "jobs": [j for j in sorted(PLANS[w.experiment].jobs)
                                                if not j.startswith("reference/")]}),
    log:
        "results/logs/gather_convergence/{experiment}.log",
    wildcard_constraints:
        experiment="|".join(CONVERGENCE) or "(?!)",
    script:
        "../scripts/convergence_gather.py"


# results/datasets/<experiment>.nc of a convergence experiment comes from gather_convergence.
ruleorder: gather_convergence > gather_experiment
