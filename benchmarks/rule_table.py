"""Where a pipeline run's time went: the per-rule table and the critical path, from Snakemake's benchmark files.

Every rule writes ``results/benchmarks/<rule>/<experiment>[/<job>].tsv`` (Snakemake's ``benchmark:``
directive: wall seconds, max RSS, CPU seconds of the job's process). This prints, per rule, the job count,
total and largest wall time, total CPU time and the largest peak memory; then the longest chain of jobs
through the DAG (simulate -> gather -> analyse -> summarise -> plot, with a convergence measurement after
its reference), which bounds the run's wall time however many cores it has.

    python benchmarks/rule_table.py [--results results] [--config config.yaml ...]
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow"))

from lifsim.config import load_merged  # noqa: E402
from lifsim.planning import plan  # noqa: E402


def read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle, delimiter="\t"))
    return {"wall": float(row["s"]), "cpu": float(row["cpu_time"]), "rss": float(row["max_rss"])}


def job_times(results: Path) -> dict[str, dict]:
    """``{"rule:experiment[/job]": figures}`` of every benchmark file."""
    out = {}
    for path in sorted((results / "benchmarks").rglob("*.tsv")):
        rule, *rest = path.relative_to(results / "benchmarks").with_suffix("").parts
        out[f"{rule}:{'/'.join(rest)}"] = read(path)
    return out


def dependencies(plans: dict) -> dict[str, list[str]]:
    """Each job's upstream jobs, named as in :func:`job_times`."""
    deps: dict[str, list[str]] = {}
    for name, p in plans.items():
        for job in p.job_files():
            deps[f"simulate_job:{name}/{job}"] = [f"simulate_job:{name}/{d}" for d in p.inputs.get(job, [])]
        deps[f"gather_experiment:{name}"] = [f"simulate_job:{name}/{j}" for j in p.gathered]
        deps[f"analyse_experiment:{name}"] = [f"gather_experiment:{name}"] + [
            f"simulate_job:{name}/analysis/{j}" for j in p.analysis_jobs]
        deps[f"summarise_experiment:{name}"] = [f"analyse_experiment:{name}"]
        deps[f"plot:{name}"] = [f"summarise_experiment:{name}"]
    return deps


def critical_path(times: dict, deps: dict) -> tuple[float, list[str]]:
    memo: dict[str, tuple[float, list[str]]] = {}

    def longest(job: str) -> tuple[float, list[str]]:
        if job not in memo:
            best = max((longest(d) for d in deps.get(job, [])), default=(0.0, []), key=lambda t: t[0])
            memo[job] = (best[0] + times.get(job, {}).get("wall", 0.0), best[1] + [job])
        return memo[job]

    return max((longest(j) for j in deps), key=lambda t: t[0])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default="results", type=Path)
    parser.add_argument("--config", nargs="+", default=["config.yaml"])
    args = parser.parse_args(argv)
    times = job_times(args.results)
    if not times:
        raise SystemExit(f"no benchmark files under {args.results / 'benchmarks'}: run the pipeline first")
    rules: dict[str, list[dict]] = {}
    for job, t in times.items():
        rules.setdefault(job.split(":")[0], []).append(t)
    print(f"{'rule':<22}{'jobs':>6}{'wall s':>10}{'max wall':>10}{'CPU s':>10}{'max RSS MB':>12}")
    for rule, rows in sorted(rules.items(), key=lambda kv: -sum(r["wall"] for r in kv[1])):
        print(f"{rule:<22}{len(rows):>6}{sum(r['wall'] for r in rows):>10.2f}{max(r['wall'] for r in rows):>10.2f}"
              f"{sum(r['cpu'] for r in rows):>10.2f}{max(r['rss'] for r in rows):>12.0f}")
    total_wall = sum(t["wall"] for t in times.values())
    total_cpu = sum(t["cpu"] for t in times.values())
    print(f"{'all':<22}{len(times):>6}{total_wall:>10.2f}{'':>10}{total_cpu:>10.2f}")
    length, path = critical_path(times, dependencies(plan(load_merged(args.config))))
    print(f"\ncritical path: {length:.2f} s of wall time over {len(path)} jobs")
    for job in path:
        print(f"  {times.get(job, {}).get('wall', 0.0):7.2f} s  {job}")


if __name__ == "__main__":
    main()
