"""``lifsim check CONFIG [CONFIG...]``: validate a config and print what the pipeline would run.

The files are layered in the order given, as the pipeline layers config.yaml and each ``--configfile``
(``lifsim check config.yaml configs/fi_sweep_1M.yaml``); the checks and their messages are the pipeline's
own (``lifsim.config.load_merged`` and ``lifsim.config.plan``). Exit status: 0 valid (warnings allowed),
1 a config error (one ``lifsim: config error at <key path>: ...`` line on stderr).
"""
from __future__ import annotations

import sys

from . import estimate

COLUMNS = ("experiment", "kind", "jobs", "analysis-only", "neurons", "grid", "memory/job", "CPU (rough)")


def add_parser(commands):
    p = commands.add_parser("check", help="validate a config and print the resolved plan",
                            description="Validate config files (layered in the order given, as the pipeline "
                            "layers config.yaml and each --configfile) with the pipeline's own checks, and print "
                            "the plan: experiments, kinds, jobs, grid sizes, memory and rough time per "
                            "experiment, warnings. Exit status 1 on a config error.")
    p.add_argument("configs", nargs="+", metavar="CONFIG", help="config file(s), e.g. config.yaml")
    return p


def run(args) -> int:
    from ..config import ConfigError, load_merged
    from ..planning import plan

    try:
        config = load_merged(args.configs)
        plans = plan(config)
    except ConfigError as exc:
        print(f"lifsim: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report(args.configs, config, plans)))
    return 0


def experiment_row(name: str, p) -> tuple[list[str], float, int, list[str]]:
    """One table row, the experiment's rough seconds, its job count and its warnings."""
    every = [*p.jobs.values(), *p.analysis_jobs.values()]
    grid: dict[str, int] = {}
    for params in p.jobs.values():
        grid.update(estimate.grid_sizes(params))
    memory = [m for m in map(estimate.memory_mb, every) if m is not None]
    times = [estimate.seconds(params) for params in every]
    known = sum(t for t in times if t is not None)
    time = estimate.human_seconds(known if times and None not in times else None)
    row = [name, p.kind, str(len(p.jobs)), str(len(p.analysis_jobs)),
           f"{sum(map(estimate.neurons, p.jobs.values())):,}",
           " x ".join(f"{k} {v}" for k, v in sorted(grid.items())) or "-",
           f"{max(memory):,} MiB" if memory else "?", time]
    return row, known, len(every), list(p.warnings)


def report(paths, config: dict, plans: dict) -> list[str]:
    rows, total_s, total_jobs, warnings = [], 0.0, 0, []
    for name in sorted(plans):
        row, seconds, jobs, warned = experiment_row(name, plans[name])
        rows.append(row)
        total_s, total_jobs = total_s + seconds, total_jobs + jobs
        warnings += warned
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    right = {2, 3, 4, 6, 7}

    def line(cells) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in pairs)

    out = [f"config: {' + '.join(map(str, paths))}: valid",
           f"integrator {config.get('integrator')}, dt {config.get('dt')}, seed {config.get('seed')}", "",
           line(COLUMNS).rstrip(), *(line(r).rstrip() for r in rows), "",
           f"{len(plans)} experiments, {total_jobs} simulation jobs "
           f"({sum(len(p.analysis_jobs) for p in plans.values())} of them analysis-only), "
           f"about {estimate.human_seconds(total_s)} of CPU time (rough) before gathering, analysis and figures",
           "memory/job: the most one job of the experiment asks a cluster for (lifsim.config.resources)"]
    out.append(f"warnings: {len(warnings)}" + "".join(f"\n  lifsim: WARNING at {w}" for w in warnings))
    return out
