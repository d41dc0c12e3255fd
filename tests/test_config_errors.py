"""Every bad config of the catalogue (tests/config_cases.py) is refused before any job runs.

Each case runs twice:

- in-process through ``lifsim.config`` (milliseconds): the ConfigError names the
  key path, what was expected and what was given;
- through the real snakemake (a real run, ``-c1``, not a dry run) in a copy of the
  workflow whose ``results/`` already holds files: it must exit non-zero with
  exactly one lifsim message and no traceback, and leave ``results/`` exactly as
  it was (names, sizes, modification times).

The snakemake runs fork from this process (see ``forked_snakemake``), which makes
them about three times cheaper (0.7-0.8 s against 2.3-2.6 s per run, measured on the
shared 2-core machine); ``test_forked_run_matches_a_plain_subprocess`` checks that a
plain ``python -m snakemake`` gives the same outcome.
"""
import os
import shlex
from pathlib import Path

import pytest
from config_cases import CASES, Case
from conftest import copy_workflow, snakemake, tiny_config
from forked_snakemake import run as forked

from lifsim.config import ConfigError, load_yaml_text, validate_structure
from lifsim.planning import plan

BASE = tiny_config()
OLD = 1_600_000_000  # a past modification time for the files results/ holds before the run


def in_process(case: Case) -> None:
    config = load_yaml_text(case.render(BASE), source="config.yaml")
    for key, value in (a.split("=", 1) for a in case.args[1::2]):
        config[key] = value
    validate_structure(config)
    plan(config)
    raise AssertionError(f"{case.id}: the config was accepted")


def message_names(text: str, case: Case) -> None:
    assert f"config error at {case.path}: " in text, text
    assert "expected" in text and "got" in text, text
    assert case.expected in text, text
    assert case.given in text, text


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_in_process(case):
    with pytest.raises(ConfigError) as info:
        in_process(case)
    message_names(str(info.value), case)


def test_allow_large_dt_turns_the_refusal_into_a_warning_and_leaves_job_params_alone():
    import copy

    from lifsim.config import canonical_json

    config = copy.deepcopy(BASE)
    config["experiments"]["coupled_pair"]["allow_large_dt"] = True
    config["experiments"]["coupled_pair"]["dt"] = "2 ms"
    validate_structure(config)
    plans = plan(config)
    warnings = plans["coupled_pair"].warnings
    assert len(warnings) == 4 and all(w.startswith("experiments.coupled_pair.dt: dt = 2 ms is not below") for w in
                                      warnings), warnings               # one per condition
    assert not any(p.warnings for name, p in plans.items() if name != "coupled_pair")
    # the flag itself is not a job parameter: setting it where dt is fine reruns nothing
    flagged = copy.deepcopy(BASE)
    flagged["allow_large_dt"] = True
    validate_structure(flagged)
    plain = copy.deepcopy(BASE)
    validate_structure(plain)
    plain_plans = plan(plain)
    for name, p in plan(flagged).items():
        assert not p.warnings
        for job_name, params in p.jobs.items():
            assert canonical_json(params) == canonical_json(plain_plans[name].jobs[job_name])


# Values that do not belong almost anywhere: each is put at every key and list item of the tiny config in turn.
ODD_VALUES = [None, True, "", "x", -1, 0, 1.5, [], {}, {"a": 1}, ["10 ms"], "1e400 ms", "-0 ms", "10 mV", "E_m",
              10**30]


def _positions(node, path=()):
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield path + (key,)
        yield from _positions(value, path + (key,))


def test_any_single_odd_value_gives_a_config_error_or_a_valid_plan():
    """Never a TypeError or KeyError from deep inside: about 1,900 edits, each accepted or a ConfigError."""
    import copy

    failures = []
    for position in _positions(BASE):
        for value in [*ODD_VALUES, "<delete>"]:
            config = copy.deepcopy(BASE)
            parent = config
            for key in position[:-1]:
                parent = parent[key]
            if value == "<delete>":
                if isinstance(parent, list):
                    continue
                del parent[position[-1]]
            else:
                parent[position[-1]] = value
            try:
                validate_structure(config)
                plan(config)
            except ConfigError:
                pass
            except Exception as exc:  # noqa: BLE001 - any other error is the failure we look for
                failures.append(f"{position} = {value!r}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures[:20])


def prepared_folder(folder: Path, case: Case) -> Path:
    copy_workflow(folder)
    (folder / "config.yaml").write_text(case.render(BASE), encoding="utf-8")
    old = folder / "results" / "datasets" / "synaptic_response.nc"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an earlier run's dataset")
    (folder / "results" / "notes.txt").write_text("kept\n")
    for path in [*(folder / "results").rglob("*"), folder / "results"]:
        os.utime(path, (OLD, OLD))
    return folder


def listing(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.is_dir(), p.stat().st_size if p.is_file() else 0, p.stat().st_mtime_ns)
            for p in [folder, *folder.rglob("*")]}


def snakemake_args(case: Case) -> list[str]:
    return ["-c1", *case.args]


@pytest.mark.pipeline
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_snakemake_refuses_before_any_job(case, tmp_path):
    folder = prepared_folder(tmp_path / "wf", case)
    before = listing(folder / "results")
    proc = forked(folder, *snakemake_args(case))
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text
    assert text.count("lifsim: config error at") == 1, text
    assert "Traceback" not in text and "Exception" not in text, text
    message_names(text, case)
    assert "Select jobs to execute" not in text and "rule " not in text, text   # no job was scheduled
    assert listing(folder / "results") == before
    assert not (folder / "pwned").exists()


@pytest.mark.pipeline
def test_forked_run_matches_a_plain_subprocess(tmp_path):
    case = next(c for c in CASES if c.id == "override_on_command_line")
    a = forked(prepared_folder(tmp_path / "a", case), *snakemake_args(case))
    b = snakemake(prepared_folder(tmp_path / "b", case), *snakemake_args(case), check=False, fork=False)
    assert a.returncode == b.returncode == 1, shlex.join(snakemake_args(case))
    line = [ln for ln in a.stderr.splitlines() if "lifsim:" in ln]
    assert line == [ln for ln in b.stderr.splitlines() if "lifsim:" in ln] and len(line) == 1


@pytest.mark.pipeline
def test_control_a_good_config_does_run_and_change_results(tmp_path):
    """The checks above can fail: the unedited tiny config runs a job and changes results/."""
    control = Case("control", None, None, "", "", "")
    folder = prepared_folder(tmp_path / "wf", control)
    before = listing(folder / "results")
    proc = forked(folder, "-c1", "results/simulations/synaptic_response/excitatory.nc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "config error" not in proc.stdout + proc.stderr
    assert listing(folder / "results") != before


@pytest.mark.pipeline
def test_a_missing_config_file_is_one_message_too(tmp_path):
    folder = prepared_folder(tmp_path / "wf", CASES[0])
    (folder / "config.yaml").unlink()
    before = listing(folder / "results")
    proc = forked(folder, "-c1")
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in text, text
    assert text.count("lifsim: config error at <top level>: expected a config file at ") == 1, text
    assert "config.yaml" in text
    assert listing(folder / "results") == before
