"""Gather a convergence experiment's measurement jobs into ``results/datasets/<experiment>.nc``."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.convergence import gather

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    parts = {name: io.read_dataset(path) for name, path in zip(spec["jobs"], snakemake.input.jobs)}  # noqa: F821
    io.write_dataset(gather(parts, spec["experiment"]), snakemake.output.dataset)  # noqa: F821
