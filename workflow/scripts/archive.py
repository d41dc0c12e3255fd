"""Archive the current datasets, analysis, summaries, figures (and the HTML report, if made) into
``results/archive/lifsim-<hash>.tar``; every NetCDF file is read back in full first, and a damaged one stops it.

The archive's layout and checks are documented in ``lifsim.archive.manifest``.
"""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.archive.bundle import build_archive

    resolved = snakemake.params.resolved  # noqa: F821
    inputs = snakemake.input  # noqa: F821
    results = [*inputs.datasets, *inputs.analysis, *inputs.summaries, *inputs.figures, *inputs.report]
    build_archive(snakemake.output.archive, resolved, snakemake.input.config, results,  # noqa: F821
                  sorted(json.loads(resolved)["experiments"]))
