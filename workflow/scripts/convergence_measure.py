"""Run one integrator at every dt of a convergence case and store its errors (see lifsim.convergence)."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.convergence import measure_dataset

    params = json.loads(snakemake.params.job)  # noqa: F821
    reference = io.read_dataset(snakemake.input.reference[0]) if snakemake.input.reference else None  # noqa: F821
    io.write_dataset(measure_dataset(params, reference), snakemake.output.dataset)  # noqa: F821
