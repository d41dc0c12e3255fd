"""Code inputs come from the real import closure (lifsim.codedeps), and jobs import nothing else.

Three checks together show that an edit of a package module reruns exactly the jobs that run it:
the code inputs Snakemake lists for each job are the closure of its script and its kind's stage; every
module a job really imported (recorded by the jobs of the tiny run, ``lifsim.io.record_imports``) is in
that closure; and Snakemake reruns a job whose input changed in content (tests/test_rerun_scope.py).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, snakemake, tiny_config

from lifsim import codedeps, kinds
from lifsim.config import validate_structure
from lifsim.planning import plan

SCRIPTS = REPO / "workflow" / "scripts"
STAGES = {"simulate_job": ("simulate", "simulate.py"), "gather_experiment": ("gather", "gather.py"),
          "analyse_experiment": ("analyse", "analyse.py"), "summarise_experiment": ("summarise", "summarise.py"),
          "plot": ("plot", "plot.py")}
def closure_modules(stage: str, kind: str) -> set[str]:
    files = codedeps.closure([SCRIPTS / STAGES_BY_NAME[stage]], [kinds.get(kind).stage_module(stage)])
    return {codedeps.module_name(f) for f in files}


STAGES_BY_NAME = {stage: script for stage, script in STAGES.values()}


def tiny_plans():
    cfg = tiny_config()
    validate_structure(cfg)
    return plan(cfg)


def job_of_log(log: str) -> tuple[str, str]:
    """``(rule, experiment)`` of a job from its log file's path (results/logs/<rule>/<experiment>...)."""
    parts = Path(log).parts
    i = parts.index("logs")
    rule, rest = parts[i + 1], parts[i + 2:]
    return rule, Path(rest[0]).stem


def test_the_closure_follows_relative_lazy_and_from_imports(tmp_path):
    files = codedeps.closure([SCRIPTS / "simulate.py"], ["lifsim.jobrun"])
    names = {codedeps.module_name(f) for f in files}
    # from lifsim import io; lazy `from .sim import simulate` inside jobrun; sim/__init__ -> run -> kernels
    assert {"lifsim", "lifsim.io", "lifsim.jobrun", "lifsim.sim", "lifsim.sim.run", "lifsim.sim.euler",
            "lifsim.dataset", "lifsim.kinds.base"} <= names
    assert "lifsim.plotting" not in names and "lifsim.analysis" not in names
    script = tmp_path / "probe.py"   # a script outside the package, importing lazily inside a function
    script.write_text("import os\n\ndef f():\n    from lifsim.analysis import theory\n")
    got = {codedeps.module_name(f) for f in codedeps.closure([script])}
    assert got == {codedeps.module_name(f) for f in codedeps.closure([], ["lifsim.analysis.theory"])}
    assert {"lifsim", "lifsim.analysis", "lifsim.analysis.theory"} <= got and "lifsim.sim" not in got


@pytest.mark.pipeline
def test_every_job_imports_only_modules_of_its_rules_code_inputs(tiny_run):
    plans = tiny_plans()
    records = [json.loads(line) for line in (tiny_run / "imports.jsonl").read_text().splitlines()]
    assert len(records) >= sum(len(p.job_files()) for p in plans.values())   # every job reported
    for rec in records:
        rule, experiment = job_of_log(rec["log"])
        stage = STAGES[rule][0]
        key = (stage, plans[experiment].kind)
        allowed = closure_modules(*key)
        extra = set(rec["lifsim"]) - allowed
        assert not extra, f"{rec['log']} imported {sorted(extra)}, which are not code inputs of its rule"
        # jobs import only what they use (issue 13): no plotting library outside figures, no SciPy outside
        # the convergence reference, neither xarray nor matplotlib in a simulation job of a model kind
        libs = set(rec["libraries"])
        if stage != "plot":
            assert "matplotlib" not in libs, rec["log"]
        if stage == "simulate" and plans[experiment].kind != "convergence":
            assert not {"xarray", "matplotlib"} & libs, rec
            assert "scipy" not in libs or "numba" in libs, rec   # numba imports SciPy itself
        # SciPy: the reference solver, the Siegert rate of the noise analyses (scipy.special), and numba,
        # which imports it itself when it is installed; nothing else
        if "/reference/" not in rec["log"] and "numba" not in libs and stage != "analyse":
            assert "scipy" not in libs, rec
    # (a closure may hold more than a run imports: the lazy branches of choices made at run time, such as
    # the compiled kernel or a sweep's grid, are inputs too: a sound over-approximation, never a miss)


INPUT_LINE = re.compile(r"^\s+input: (.*)$")


@pytest.mark.pipeline
def test_the_code_inputs_snakemake_lists_are_the_closures(tiny_run):
    out = snakemake(tiny_run, "-n", "-F", "--cores", "1").stdout
    plans = tiny_plans()
    blocks = re.split(r"\n(?=(?:local)?rule )", out)
    seen = 0
    for block in blocks:
        m = re.match(r"(?:local)?rule (\w+):", block)
        if not m or m[1] == "all" or m[1] == "archive":
            continue
        rule = "plot" if m[1].startswith("plot_") else m[1]
        experiment = (m[1].removeprefix("plot_") if rule == "plot"
                      else re.search(r"wildcards: experiment=(\w+)", block)[1])
        inputs = next(INPUT_LINE.match(line)[1] for line in block.splitlines() if INPUT_LINE.match(line))
        code = {p for p in inputs.split(", ") if p.startswith("workflow/lifsim/")}
        expected = {str(f.relative_to(REPO)) for f in codedeps.closure(
            [SCRIPTS / STAGES[rule][1]], [kinds.get(plans[experiment].kind).stage_module(STAGES[rule][0])])}
        assert code == expected, (m[1], experiment, sorted(code ^ expected))
        seen += 1
    assert seen == sum(len(p.job_files()) + 4 for p in plans.values())   # simulations, gather, analysis,
    # summary and figures of every experiment
