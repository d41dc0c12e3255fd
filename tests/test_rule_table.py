"""benchmarks/rule_table.py reads the benchmark files every rule writes and finds the critical path."""
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.pipeline


def test_the_rule_table_covers_every_job_of_a_run(tiny_run):
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "rule_table.py"), "--results",
                          str(tiny_run / "results"), "--config", str(tiny_run / "config.yaml")],
                         capture_output=True, text=True, check=True).stdout
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line and not line.startswith(" ")}
    n_files = len(list((tiny_run / "results" / "benchmarks").rglob("*.tsv")))
    assert int(rows["all"][1]) == n_files and n_files > 40
    for rule in ("simulate_job", "gather_experiment", "analyse_experiment", "summarise_experiment", "plot"):
        assert rule in rows
    path = [line.split()[-1] for line in out.splitlines() if line.startswith("  ")]
    assert path[0].startswith("simulate_job:") and path[-1].startswith("plot:")   # from a simulation to a figure
