"""Analyse an experiment's dataset into ``results/analysis/<experiment>.nc`` (see lifsim.analysis)."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.analysis import analyse

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    ds = io.read_dataset(snakemake.input.dataset)  # noqa: F821
    extra = {name: io.read_dataset(path) for name, path in zip(spec["extra"], snakemake.input.extra)}  # noqa: F821
    out = analyse(spec["kind"], ds, spec["options"], extra, stage=spec["stage"])
    io.write_dataset(out, snakemake.output.analysis)  # noqa: F821
