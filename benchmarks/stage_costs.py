"""CPU seconds of the stages after the simulations, per experiment, in this process (no Snakemake, no imports).

    python benchmarks/stage_costs.py [--results results] [--config config.yaml ...] [--repeat 3] [--siegert 1e6]
                                     [--checkout PATH]

Reads each experiment's dataset, analysis-only simulations and analysis from a finished run's ``--results``
(run the pipeline first, with the same configs), then times, best of ``--repeat``: the analysis, the summary
(with its JSON text), and the figures drawn and saved in every configured format into a temporary folder. A
process's imports are paid once, before the first timing (they are the same for every job of a stage).
``--siegert N`` also times F(x) = integral_0^x erfcx at N points (w = log1p(x) uniform in [0, 12]) from the
Chebyshev table against the Gauss-Legendre quadrature it interpolates, as a ratio. ``--checkout PATH`` times
the lifsim of another checkout instead (say the main branch's, for a before/after on the same results; run the
two alternately on a shared machine).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_lifsim(checkout: Path):
    """The stage functions of the lifsim in ``checkout`` (a checkout without the JSON writer gets json.dumps)."""
    sys.path.insert(0, str(checkout / "workflow"))
    from lifsim import io
    from lifsim.analysis import analyse
    from lifsim.config import load_merged
    from lifsim.planning import plan
    from lifsim.plotting import figures
    from lifsim.summary import summarise

    try:
        from lifsim.summary.json_text import dumps
    except ImportError:                          # a checkout from before it
        def dumps(numbers):
            return json.dumps(numbers, indent=1, sort_keys=True) + "\n"
    return io, analyse, load_merged, plan, figures, summarise, dumps


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def siegert_ratio(n: int, repeat: int) -> None:
    import numpy as np

    try:
        from lifsim.analysis.erfcx_integral import erfcx_integral, erfcx_integral_quad
    except ImportError:
        print("erfcx integral: this checkout has no table (lifsim.analysis.erfcx_integral)")
        return
    x = np.expm1(np.random.default_rng(1).uniform(0.0, 12.0, n))
    erfcx_integral(x[:10])                       # the table is built once per process
    table = best(lambda: erfcx_integral(x), repeat)
    quad = best(lambda: erfcx_integral_quad(x), repeat)
    print(f"erfcx integral at {n:.0e} points: table {table:.3f} s, quadrature {quad:.3f} s CPU "
          f"(quadrature/table {quad / table:.1f})")


def experiment_costs(stages, name, p, r: Path, formats, out: Path, repeat: int) -> tuple[float, float, float]:
    """Best CPU seconds of one experiment's analysis, summary (and its JSON text), and figures (saved)."""
    io, analyse, _, _, figures, summarise, dumps = stages
    ds = io.read_dataset(r / "datasets" / f"{name}.nc")
    an = io.read_dataset(r / "analysis" / f"{name}.nc")
    extra = {job: io.read_dataset(r / "simulations" / name / "analysis" / f"{job}.nc")
             for job in sorted(p.analysis_jobs)}

    def draw():
        for suffix, fig in figures(p.kind, ds, an, p.figures).items():
            for fmt in formats:
                io.save_figure(fig, out / f"{name}{suffix}.{fmt}", p.figures["dpi"])

    return (best(lambda: analyse(p.kind, ds, p.analysis, extra), repeat),
            best(lambda: dumps(summarise(p.kind, name, ds, an)[0]), repeat), best(draw, repeat))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results", type=Path)
    ap.add_argument("--config", nargs="+", default=["config.yaml"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--siegert", type=float, default=0.0, help="points for the erfcx-integral timing (0: none)")
    ap.add_argument("--checkout", type=Path, default=REPO, help="the checkout whose lifsim is timed")
    args = ap.parse_args()
    stages = load_lifsim(args.checkout.resolve())
    load_merged, plan = stages[2], stages[3]
    print(f"lifsim of {args.checkout.resolve()}")
    config = load_merged(args.config)
    plans = plan(config)
    formats = config.get("figures", {}).get("formats", ["png", "pdf"])
    out = Path(tempfile.mkdtemp(prefix="lifsim-stage-costs-"))
    print(f"machine: {os.cpu_count()} cores, load average (1 min) {os.getloadavg()[0]:.2f}; best of {args.repeat}")
    print(f"{'experiment':<22}{'analyse s':>10}{'summarise s':>12}{'figures s':>10}  formats {','.join(formats)}")
    for name, p in sorted(plans.items()):
        if (args.results / "analysis" / f"{name}.nc").is_file():
            row = experiment_costs(stages, name, p, args.results, formats, out, args.repeat)
            print(f"{name:<22}" + "".join(f"{t:>{w}.2f}" for t, w in zip(row, (10, 12, 10))))
    shutil.rmtree(out, ignore_errors=True)
    if args.siegert:
        siegert_ratio(int(args.siegert), args.repeat)
    print(f"load average (1 min) at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
