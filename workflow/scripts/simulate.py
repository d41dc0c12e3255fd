"""Simulate one job: its canonical parameters in, ``results/simulations/<experiment>/<job>.nc`` out.

The dataset layout is documented in ``lifsim.dataset``.
"""
import json

from lifsim import io

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.dataset import job_dataset
    from lifsim.sim import simulate

    params = json.loads(snakemake.params.job)  # noqa: F821
    io.write_dataset(job_dataset(params, simulate(params)), snakemake.output.dataset)  # noqa: F821
