"""Simulate one job: its canonical parameters in, ``results/simulations/<experiment>/<job>.nc`` out.

The dataset layout is documented in ``lifsim.dataset``.
"""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.dataset import job_variables
    from lifsim.sim import simulate

    params = json.loads(snakemake.params.job)  # noqa: F821
    result = simulate(params, threads=snakemake.threads)  # noqa: F821
    io.write_variables(job_variables(params, result), snakemake.output.dataset)  # noqa: F821
