"""Gather an experiment's simulation jobs into ``results/datasets/<experiment>.nc`` (see lifsim.dataset)."""
import json

from lifsim import io

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.dataset import gather_experiment

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    parts = {name: io.read_dataset(path) for name, path in zip(spec["jobs"], snakemake.input.jobs)}  # noqa: F821
    io.write_dataset(gather_experiment(spec["kind"], spec["experiment"], parts), snakemake.output.dataset)  # noqa: F821
