"""Summarise an experiment's numbers into ``results/summaries/<experiment>.{rst,json}`` (see lifsim.summary)."""
import json
import sys

sys.path.insert(0, snakemake.scriptdir + "/..")  # noqa: F821 - run the lifsim of this checkout
from lifsim import io  # noqa: E402

with io.job_log(snakemake.log[0]):  # noqa: F821 - provided by Snakemake
    from lifsim.summary import summarise
    from lifsim.summary.json_text import dumps

    spec = json.loads(snakemake.params.spec)  # noqa: F821
    ds = io.read_dataset(snakemake.input.dataset)  # noqa: F821
    an = io.read_dataset(snakemake.input.analysis)  # noqa: F821
    numbers, text = summarise(spec["kind"], spec["experiment"], ds, an, stage=spec["stage"])
    io.write_text(dumps(numbers), snakemake.output.json)  # noqa: F821
    io.write_text(text, snakemake.output.rst)  # noqa: F821
