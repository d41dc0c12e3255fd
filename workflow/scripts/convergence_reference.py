"""Solve one convergence case with the independent reference (see lifsim.convergence.reference_dataset)."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.convergence import reference_dataset

    params = json.loads(snakemake.params.job)  # noqa: F821
    io.write_dataset(reference_dataset(params), snakemake.output.dataset)  # noqa: F821
