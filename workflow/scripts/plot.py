"""Draw an experiment's figures into ``results/figures/<experiment>*.<format>`` (see lifsim.plotting)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.plotting import figures

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    ds = io.read_dataset(snakemake.input.dataset)  # noqa: F821
    an = io.read_dataset(snakemake.input.analysis)  # noqa: F821
    figs = figures(spec["kind"], ds, an, spec["options"], stage=spec["stage"])
    for path in snakemake.output:  # noqa: F821
        stem = Path(path).stem.removeprefix(spec["experiment"])
        io.save_figure(figs[stem], path, spec["options"]["dpi"])
