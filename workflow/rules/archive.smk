# Stage 4 (on request only, not part of `all`): one verifiable archive of the current results.
#   snakemake -c4 archive    ->  results/archive/lifsim-<hash>.tar
# <hash> is that of the resolved parameters (see lifsim.archive.manifest): other parameters, other archive.
from lifsim.archive import archive_name, resolved_text

RESOLVED_CONFIG = resolved_text(PLANS, FORMATS)
ARCHIVE_NAME = archive_name(RESOLVED_CONFIG)


rule archive:
    input:
        code=ARCHIVE_CODE,
        config=CONFIG_FILES,
        datasets=expand("results/datasets/{experiment}.nc", experiment=EXPERIMENTS),
        analysis=expand("results/analysis/{experiment}.nc", experiment=EXPERIMENTS),
        summaries=expand("results/summaries/{experiment}.{ext}", experiment=EXPERIMENTS, ext=["rst", "json"]),
        figures=ALL_FIGURES,
        # the HTML report (made by `snakemake --report results/report.html`, not by a rule), when it exists
        report=lambda w: ["results/report.html"] if Path("results/report.html").is_file() else [],
    output:
        archive=f"results/archive/{ARCHIVE_NAME}.tar",
    log:
        f"results/logs/archive/{ARCHIVE_NAME}.log",
    params:
        resolved=RESOLVED_CONFIG,
    script:
        "../scripts/archive.py"
