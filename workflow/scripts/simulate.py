"""Simulate one job: its canonical parameters in, ``results/simulations/<experiment>/<job>.nc`` out.

The experiment's kind (lifsim.kinds) runs the job; most write the layout documented in ``lifsim.dataset``.
"""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.kinds.base import resolve

    params = json.loads(snakemake.params.job)  # noqa: F821
    inputs = [io.read_variables(path) for path in snakemake.input.inputs]  # noqa: F821
    run = resolve(snakemake.params.stage)  # noqa: F821 - the kind's simulate stage, e.g. lifsim.jobrun:simulate_job
    content = run(params, inputs, threads=snakemake.threads)  # noqa: F821
    io.write_content(content, snakemake.output.dataset)  # noqa: F821
