"""Analyse an experiment's dataset into ``results/analysis/<experiment>.nc`` (see lifsim.analysis)."""
import json

from lifsim import io

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.analysis import analyse

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    ds = io.read_dataset(snakemake.input.dataset)  # noqa: F821
    io.write_dataset(analyse(spec["kind"], ds, spec["options"]), snakemake.output.analysis)  # noqa: F821
