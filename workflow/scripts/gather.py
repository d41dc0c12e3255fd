"""Gather an experiment's simulation jobs into ``results/datasets/<experiment>.nc`` (see lifsim.gather)."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.kinds.base import resolve

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    parts = {name: io.read_dataset(path) for name, path in zip(spec["jobs"], snakemake.input.jobs)}  # noqa: F821
    gather = resolve(spec["stage"])
    io.write_dataset(gather(spec["kind"], spec["experiment"], parts), snakemake.output.dataset)  # noqa: F821
