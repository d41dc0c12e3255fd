"""Code inputs come from the real import closure (lifsim.codedeps), and jobs import nothing else.

Three checks together show that an edit of a package module reruns exactly the jobs that run it:
the code inputs Snakemake lists for each job are the closure of its script and its kind's stage; every
module a job really imported (recorded by the jobs of the tiny run, ``lifsim.io.record_imports``) is in
that closure; and Snakemake reruns a job whose input changed in content (tests/test_rerun_scope.py).
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, snakemake, tiny_config
from shared_runs import copy_run

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
    # (a closure may hold more than a run imports: the lazy branches of choices made at run time, such as
    # the compiled kernel or a sweep's grid, are inputs too: a sound over-approximation, never a miss)


# ---- jobs import only the libraries they use (issue 13) ------------------------------------------------------------

# the third-party libraries a job of each stage may import
STAGE_LIBRARIES = {
    "simulate": {"numpy", "netCDF4", "numba"},   # numba: the compiled kernels, where they pay (lifsim.sim.run)
    "gather": {"numpy", "netCDF4", "xarray"},
    "analyse": {"numpy", "netCDF4", "xarray"},
    "summarise": {"numpy", "netCDF4", "xarray"},
    "plot": {"numpy", "netCDF4", "xarray", "matplotlib"},
}
# the parts of SciPy a job may use beyond what `import numba` loads: the convergence study's reference solver,
# and the Siegert rate (scipy.special) of the noisy f-I analysis
SCIPY_USES = {("simulate", "convergence", "reference"): {"scipy.integrate"},
              ("simulate", "convergence", "noise"): {"scipy.special"},   # the noise case's error against Siegert
              ("analyse", "convergence", None): {"scipy.special"},       # its Euler asymptote beside Siegert
              ("analyse", "noisy_fi_curve", None): {"scipy.special"}}
# numba itself imports SciPy (numba/__init__.py checks its version) and, the first time it runs a compiled
# function, scipy.linalg's BLAS (numba/np/arraymath.py checks for BLAS)
NUMBA_RUNS = "import numba\nnumba.njit(lambda x: x + 1)(1)"


@functools.cache
def scipy_loaded_by(code: str) -> frozenset[str]:
    """The SciPy subpackages that running ``code`` loads, in a fresh interpreter."""
    code += ("\nimport sys, json\n"
             "print(json.dumps(sorted({'.'.join(m.split('.')[:2]) for m in sys.modules if m.startswith('scipy.')})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return frozenset(json.loads(out.stdout.splitlines()[-1]))


def extra_imports(tiny_run) -> dict[tuple[str, str], set[str]]:
    """``{(stage, kind): libraries beyond the lists above}`` over the tiny run's jobs (SciPy counts as extra
    unless all of it that a job loaded is what numba's own import and the job's SCIPY_USES load)."""
    plans = tiny_plans()
    records = [json.loads(line) for line in (tiny_run / "imports.jsonl").read_text().splitlines()]
    assert len(records) >= sum(len(p.job_files()) for p in plans.values())   # every job reported
    extra: dict[tuple[str, str], set[str]] = {}
    for rec in records:
        rule, experiment = job_of_log(rec["log"])
        stage, kind = STAGES[rule][0], plans[experiment].kind
        libs = set(rec["libraries"]) - STAGE_LIBRARIES[stage]
        if "scipy" in libs:
            with_numba = "numba" in rec["libraries"]
            noise_case = "/convergence/" in rec["log"] and rec["log"].endswith("/noisy_fi_curve.log")
            job = "reference" if "/reference/" in rec["log"] else "noise" if noise_case else None
            uses = SCIPY_USES.get((stage, kind, job), set())
            allowed = ((scipy_loaded_by(NUMBA_RUNS) if with_numba else set())
                       | (scipy_loaded_by("\n".join(f"import {m}" for m in sorted(uses))) if uses else set()))
            if (with_numba or uses) and set(rec["scipy"]) <= allowed:
                libs.discard("scipy")
        if libs:
            extra.setdefault((stage, kind), set()).update(libs)
    return extra


@pytest.mark.pipeline
def test_every_job_imports_only_the_libraries_of_its_stage(tiny_run):
    """No matplotlib outside the figures, neither xarray nor matplotlib in a simulation job, SciPy only in the
    convergence reference, the Siegert rate, and as numba's own import (numba/__init__.py imports it)."""
    extra = extra_imports(tiny_run)
    assert not {k: v for k, v in extra.items() if v}, extra


INPUT_LINE = re.compile(r"^\s+input: (.*)$")


@pytest.mark.pipeline
def test_the_code_inputs_snakemake_lists_are_the_closures(tiny_run, tmp_path):
    out = snakemake(copy_run(tiny_run, tmp_path / "run"), "-n", "-F", "--cores", "1").stdout
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
