"""Rerun scope: after a complete run, an edit makes `snakemake -n` plan exactly the jobs that depend on it.

One complete run of the tiny config (the session fixture ``tiny_run``) is copied per row, keeping mtimes and
Snakemake's ``.snakemake`` metadata; each row edits the copy's config or code and compares the jobs of a dry
run with the exact expected set. Jobs are named ``rule:wildcards`` (``simulate_job:fi_curve/duration-50ms``);
the ``all`` target is left out. The dry runs fork from the test process (``forked_snakemake``: the real
snakemake command line without paying its import each time; tests/test_config_errors.py checks that it gives
what a plain subprocess gives).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, write_config
from forked_snakemake import run as forked

pytestmark = pytest.mark.pipeline

SYN, IC, FI, CP = "synaptic_response", "initial_conditions", "fi_curve", "coupled_pair"
SM, CONV = "synchrony_map", "convergence"
NF, PI, SR = "noisy_fi_curve", "poisson_input", "stimulus_response"
NOISE = (NF, PI, SR)
EXPERIMENTS = (CONV, CP, FI, IC, SYN, SM, *NOISE)
JOBS = {SYN: ("excitatory", "inhibitory", "shunting"), IC: ("base",), FI: ("duration-50ms", "duration-100ms"),
        CP: ("base", "base_t_ref_2ms", "inhibitory", "strong_coupling"), SM: ("excitatory", "inhibitory"),
        NF: ("points",), PI: ("points",), SR: ("step", "step_sub")}
PROBED = (SYN, CP, NF)   # kinds with simulations only their analysis reads (the kinds' analysis_jobs)
CONV_CASES = ("fi_curve", "synaptic_response", "coupled_pair-excitatory", "coupled_pair-inhibitory", "noisy_fi_curve")


# ---- the expected sets ----------------------------------------------------------------------------------------

def sims(experiment: str, *jobs: str) -> set[str]:
    if experiment == CONV:  # a reference per case (but the f-I rate's), each integrator on each case
        return ({f"simulate_job:{CONV}/reference/{c}" for c in CONV_CASES if c not in ("fi_curve", "noisy_fi_curve")} |
                {f"simulate_job:{CONV}/{i}/{c}" for i in ("euler", "exact") for c in CONV_CASES})
    return {f"simulate_job:{experiment}/{job}" for job in (jobs or JOBS[experiment])}


def probes(experiment: str, *jobs: str) -> set[str]:
    """The analysis-only simulations of the given conditions (all of them by default): a test-step pair
    (hold, step) per synaptic-response condition, a long run per coupled-pair condition."""
    if experiment == NF:   # the Euler-Maruyama comparison of the whole grid
        return {f"simulate_job:{NF}/analysis/compare-euler"}
    roles = ("-hold", "-step") if experiment == SYN else ("",)
    return {f"simulate_job:{experiment}/analysis/{job}{role}" for job in (jobs or JOBS[experiment]) for role in roles}


def steps(*jobs: str) -> set[str]:
    """Only the stepped half of the synaptic-response test-step probes (the holding run does not depend on
    the step or on the synapse)."""
    return {f"simulate_job:{SYN}/analysis/{job}-step" for job in jobs}


def figures(*experiments: str) -> set[str]:
    return {f"plot_{e}" for e in (experiments or EXPERIMENTS)}


def analyses(*experiments: str) -> set[str]:
    return ({f"analyse_experiment:{e}" for e in (experiments or EXPERIMENTS)} |
            {f"summarise_experiment:{e}" for e in (experiments or EXPERIMENTS)} | figures(*experiments))


def downstream(*experiments: str) -> set[str]:
    """An experiment's gather, analysis and figures."""
    return {f"gather_experiment:{e}" for e in experiments} | analyses(*experiments)


EVERYTHING = set().union(*(sims(e) | downstream(e) for e in EXPERIMENTS), *(probes(e) for e in PROBED))
NOTEBOOK_EVERYTHING = EVERYTHING - set().union(*(sims(e) | downstream(e) | probes(e) for e in NOISE))


def noise_jobs_running(relpath: str) -> set[str]:
    """The jobs of the noise and stimulus kinds whose code inputs hold ``relpath``, from their closures (their
    stages share lifsim.noisy), with everything downstream of them."""
    from lifsim import codedeps, kinds

    scripts = REPO / "workflow" / "scripts"
    stages = [("simulate", "simulate_job"), ("gather", "gather_experiment"), ("analyse", "analyse_experiment"),
              ("summarise", "summarise_experiment"), ("plot", "plot")]
    target = (REPO / relpath).resolve()
    out: set[str] = set()
    for e in NOISE:
        order = [rule for stage, rule in stages
                 if target in codedeps.closure([scripts / f"{stage}.py"], [kinds.get(e).stage_module(stage)])]
        if not order:
            continue
        first = [rule for _, rule in stages].index(order[0])
        chain = {"simulate_job": sims(e) | (probes(e) if e in PROBED else set()),
                 "gather_experiment": {f"gather_experiment:{e}"}, "analyse_experiment": {f"analyse_experiment:{e}"},
                 "summarise_experiment": {f"summarise_experiment:{e}"}, "plot": {f"plot_{e}"}}
        for _, rule in stages[first:]:
            out |= chain[rule]
    return out


NOTEBOOK = tuple(e for e in EXPERIMENTS if e not in NOISE)
# the jobs that write, read or gather lifsim's job datasets (lifsim.dataset): the convergence study's jobs too
# (they build their content with lifsim.dataset.make_content and read their reference with its helpers)
DATASET_JOBS = set().union(*(sims(e) | downstream(e) for e in NOTEBOOK),
                           *(probes(e) for e in PROBED if e != NF)) | noise_jobs_running("workflow/lifsim/dataset.py")


# ---- reading a dry run -----------------------------------------------------------------------------------------

JOB_LINE = re.compile(r"^(?:local)?rule (\w+):$")
WILDCARDS_LINE = re.compile(r"^\s+wildcards: (.*)$")
REASON_LINE = re.compile(r"^\s+reason: (.*)$")


def parse_dry_run(text: str) -> dict[str, str]:
    """``{job: reason}`` of the jobs a ``snakemake -n`` output lists (without the ``all`` target)."""
    jobs: list[list[str]] = []
    for line in text.splitlines():
        if m := JOB_LINE.match(line):
            jobs.append([m[1], "", ""])
        elif jobs and (m := WILDCARDS_LINE.match(line)):
            jobs[-1][1] = "/".join(part.split("=", 1)[1] for part in m[1].split(", "))
        elif jobs and (m := REASON_LINE.match(line)):
            jobs[-1][2] = m[1]
    return {f"{rule}:{wc}" if wc else rule: reason for rule, wc, reason in jobs if rule != "all"}


def planned(folder: Path) -> dict[str, str]:
    out = forked(folder, "-n", "--cores", "1")
    if out.returncode != 0:
        pytest.fail(f"snakemake -n exited {out.returncode}:\n{out.stdout[-4000:]}\n{out.stderr[-4000:]}")
    jobs = parse_dry_run(out.stdout)
    if not jobs:
        assert "Nothing to be done" in out.stdout + out.stderr, out.stdout[-3000:]
    return jobs


def test_parse_dry_run_reads_rules_wildcards_and_reasons():
    text = ("rule simulate_job:\n    input: a\n    wildcards: experiment=fi_curve, job=duration-50ms\n"
            "    reason: Params have changed\n\nrule plot_fi_curve:\n    reason: Input files updated\n"
            "localrule all:\n    reason: x\n")
    assert parse_dry_run(text) == {"simulate_job:fi_curve/duration-50ms": "Params have changed",
                                   "plot_fi_curve": "Input files updated"}


# ---- the edits -------------------------------------------------------------------------------------------------

def config_edit(mutate):
    def edit(folder: Path) -> None:
        cfg = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
        mutate(cfg)
        write_config(folder, cfg)
    return edit


def text_edit(relpath: str, change):
    def edit(folder: Path) -> None:
        path = folder / relpath
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return edit


def code_edit(relpath: str):
    """A real change of a code file's content (a new line at its end)."""
    return text_edit(relpath, lambda text: text + "\nEDITED_BY_TEST = True\n")


def _set(path: str, value):
    """An edit setting one dotted key path of the config."""
    *parents, last = path.split(".")

    def mutate(cfg):
        node = cfg
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return mutate


def _all(*mutations):
    def mutate(cfg):
        for m in mutations:
            m(cfg)
    return mutate


def _swap(path_a: str, path_b: str):
    def mutate(cfg):
        def get(path):
            node = cfg
            for key in path.split("."):
                node = node[key]
            return node
        a, b = get(path_a), get(path_b)
        _set(path_a, b)(cfg)
        _set(path_b, a)(cfg)
    return mutate


def _drop(path: str):
    *parents, last = path.split(".")

    def mutate(cfg):
        node = cfg
        for key in parents:
            node = node[key]
        del node[last]
    return mutate


def _reversed(value):
    if isinstance(value, dict):
        return {k: _reversed(v) for k, v in reversed(list(value.items()))}
    if isinstance(value, list):
        return [_reversed(v) for v in value]
    return value


def _comment_every_line(text: str) -> str:
    out = ["# a comment at the top", ""]
    for line in text.splitlines():
        out += ["  # a comment line", line + "   # a trailing comment", ""]
    return "\n".join(out) + "\n"


def _reindent(folder: Path) -> None:
    cfg = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    (folder / "config.yaml").write_text(yaml.safe_dump(cfg, indent=4, default_flow_style=None, width=50,
                                                       sort_keys=True), encoding="utf-8")


def _reorder(folder: Path) -> None:
    cfg = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    write_config(folder, _reversed(cfg))


SPELLINGS = _all(  # the same numbers, written differently
    _set("dt", "1.0e-4 s"), _set("neuron.tau_m", "0.010 s"), _set("neuron.R_m", "1.0e+4 kOhm"),
    _set(f"experiments.{SYN}.conditions.shunting.g_inh", "0.2 uS"),
    _set(f"experiments.{FI}.durations", ["100.0 ms", "5.0e-2 s"]),
    _set(f"experiments.{IC}.V_init", {"uniform": ["-0.085 V", "-7.5e+1 mV"]}),
    _set("analysis.lock_tolerance", "5.0e-4 s"), _set("figures.width", 5), _set("figures.dpi", 40.0),
    _set("seed", 20261125.0), _set(f"experiments.{IC}.trials", 3.0), _set(f"experiments.{FI}.sweep.I_e.num", 12.0),
    _set(f"experiments.{CP}.coupling", [[0.0, 1.0], [1.0, 0.0]]),
)

ROWS = [
    # one condition's parameter
    pytest.param(config_edit(_set(f"experiments.{SYN}.conditions.shunting.g_inh", "150 nS")),
                 sims(SYN, "shunting") | probes(SYN, "shunting") | downstream(SYN), id="condition-parameter"),
    # one f-I duration, one coupled-pair variant
    pytest.param(config_edit(_set(f"experiments.{FI}.durations", ["50 ms", "80 ms"])),
                 sims(FI, "duration-80ms") | downstream(FI), id="fi-duration"),
    pytest.param(config_edit(_set(f"experiments.{CP}.conditions.strong_coupling.g_star", "50 nS")),
                 sims(CP, "strong_coupling") | probes(CP, "strong_coupling") | downstream(CP),
                 id="coupled-pair-variant"),
    pytest.param(config_edit(_set(f"experiments.{SYN}.conditions.weak", {"E_syn": "0 mV", "g_star": "10 nS"})),
                 sims(SYN, "weak") | probes(SYN, "weak") | downstream(SYN), id="condition-added"),
    pytest.param(config_edit(_drop(f"experiments.{CP}.conditions.inhibitory")),
                 downstream(CP), id="condition-removed"),
    # a shared default, with an experiment and a condition that override it (by the same old value)
    pytest.param(config_edit(_all(_set("neuron.tau_m", "12 ms"), _set(f"experiments.{CP}.neuron.tau_m", "10 ms"),
                                  _set(f"experiments.{SYN}.conditions.shunting.tau_m", "10 ms"))),
                 sims(SYN, "excitatory", "inhibitory") | probes(SYN, "excitatory", "inhibitory") | sims(IC) |
                 sims(FI) | sims(SM) | sims(CONV) | sims(NF) | probes(NF) | sims(PI) | sims(SR) |
                 downstream(SYN, IC, FI, SM, CONV, *NOISE), id="shared-default-overridden-elsewhere"),
    pytest.param(config_edit(_set("seed", 7)), sims(IC) | sims(FI) | sims(NF) | probes(NF) | sims(PI) |
                 {f"simulate_job:{CONV}/{i}/noisy_fi_curve" for i in ("euler", "exact")} |   # its noise case
                 downstream(IC, FI, NF, PI, CONV), id="seed-only-random-jobs"),
    # analysis and figure options
    pytest.param(config_edit(_set("analysis.lock_tolerance", "0.3 ms")), analyses(CP), id="analysis-option"),
    pytest.param(config_edit(_set("figures.dpi", 50)), figures(), id="figure-dpi"),
    pytest.param(config_edit(_set("figures.width", 6.0)), figures(), id="figure-size"),
    pytest.param(config_edit(_set("figures.formats", ["png", "svg"])), figures(), id="figure-format"),
    # code
    # code: each job's inputs are the import closure of its script and its kind's stage (lifsim.codedeps)
    pytest.param(code_edit("workflow/lifsim/sim/euler.py"),
                 NOTEBOOK_EVERYTHING | noise_jobs_running("workflow/lifsim/sim/euler.py"), id="integrator-source"),
    pytest.param(code_edit("workflow/lifsim/sim/batch.py"),
                 NOTEBOOK_EVERYTHING | noise_jobs_running("workflow/lifsim/sim/batch.py"), id="model-source"),
    pytest.param(code_edit("workflow/lifsim/rng.py"),
                 NOTEBOOK_EVERYTHING | noise_jobs_running("workflow/lifsim/rng.py"), id="rng-source"),
    pytest.param(code_edit("workflow/lifsim/dataset.py"), DATASET_JOBS, id="dataset-source"),
    pytest.param(code_edit("workflow/lifsim/analysis/trains.py"), analyses(IC), id="analysis-source"),
    pytest.param(code_edit("workflow/lifsim/plotting/style.py"), figures() - figures(*NOISE) |
                 noise_jobs_running("workflow/lifsim/plotting/style.py"), id="plotting-style-source"),
    pytest.param(code_edit("workflow/lifsim/plotting/fi.py"), figures(FI), id="plotting-source"),
    pytest.param(code_edit("workflow/scripts/plot.py"), figures(), id="plot-script"),
    pytest.param(code_edit("workflow/lifsim/archive/bundle.py"), set(), id="archive-source-not-in-all"),
    # job building runs at DAG time: an edit that leaves every job's params as they were reruns nothing
    pytest.param(code_edit("workflow/lifsim/kinds/fi_curve.py"), set(), id="kind-module-same-params"),
    pytest.param(code_edit("workflow/lifsim/config/jobs.py"), set(), id="job-building-same-params"),
    # spelling only: nothing reruns
    pytest.param(text_edit("config.yaml", _comment_every_line), set(), id="comments"),
    pytest.param(_reorder, set(), id="key-order"),
    pytest.param(_reindent, set(), id="re-indentation"),
    pytest.param(config_edit(SPELLINGS), set(), id="number-spellings"),
    # swapped values
    pytest.param(config_edit(_swap(f"experiments.{SYN}.conditions.shunting.g_exc",
                                   f"experiments.{SYN}.conditions.shunting.g_inh")),
                 sims(SYN, "shunting") | probes(SYN, "shunting") | downstream(SYN), id="swap-within-a-job"),
    pytest.param(config_edit(_swap(f"experiments.{SYN}.conditions.excitatory.E_syn",
                                   f"experiments.{SYN}.conditions.inhibitory.E_syn")),
                 sims(SYN, "excitatory", "inhibitory") | downstream(SYN), id="swap-between-conditions"),
    pytest.param(config_edit(_swap(f"experiments.{IC}.duration", f"experiments.{CP}.duration")),
                 sims(IC) | sims(CP) | downstream(IC, CP), id="swap-between-experiments"),
]


@pytest.fixture
def finished(tiny_run, tmp_path) -> Path:
    """A private copy of the complete tiny run (results, mtimes and .snakemake metadata kept)."""
    dest = tmp_path / "run"
    shutil.copytree(tiny_run, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_the_copy_of_a_finished_run_is_up_to_date(finished):
    assert planned(finished) == {}


@pytest.mark.parametrize("edit, expected", ROWS)
def test_an_edit_reruns_exactly_what_depends_on_it(finished, edit, expected):
    edit(finished)
    jobs = planned(finished)
    missing, extra = expected - set(jobs), set(jobs) - expected
    assert not missing and not extra, (f"should rerun but does not: {sorted(missing)}\n"
                                       f"reruns but should not: {[(j, jobs[j]) for j in sorted(extra)]}")
