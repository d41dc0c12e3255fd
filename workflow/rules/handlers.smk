# Run handlers: a damaged lifsim input stops the run before anything is deleted; science warnings reach the console.
#
# Snakemake deletes a job's existing outputs just before it runs the job (Job.prepare ->
# remove_existing_output), and calls `onstart` once the DAG is built and before the first job
# is prepared; a run with nothing to do never calls it. So `onstart` reads back, in full, every
# existing lifsim NetCDF file that a job of this run reads but that no job of this run writes:
# a flipped byte, a truncated or a non-NetCDF file stops the run there with one line naming it
# and the command that regenerates it, and no good output downstream has been removed yet.
# Files that jobs of this run write are checked by the jobs that read them (lifsim.io.read_dataset).
import os
import time

from lifsim import io as lifsim_io

RUN_STARTED = time.time()


def damaged_inputs():
    """Existing results/*.nc files read (not written) by this run's jobs that fail to read back in full."""
    jobs = list(workflow.dag.needrun_jobs())
    written = {str(f) for job in jobs for f in job.output}
    read = {str(f) for job in jobs for f in job.input}
    damaged = []
    for path in sorted(read - written):
        if path.startswith("results/") and path.endswith(".nc") and os.path.isfile(path):
            try:
                lifsim_io.check_netcdf(path, require_checksums=False)
            except lifsim_io.IntegrityError as exc:
                damaged.append(exc)
    return damaged


def science_warnings():
    """Lines for the warnings of this run: the config's (printed at the start too) and those jobs logged."""
    lines = [f"  config: {w}" for p in PLANS.values() for w in p.warnings]
    for log, line in lifsim_io.logged_warnings("results/logs", RUN_STARTED):
        job = os.path.relpath(log, "results/logs").removesuffix(".log").replace(os.sep, " ", 1)
        lines.append(f"  {job}: {line.removeprefix('WARNING ')} ({log})")
    return lines


def print_warnings():
    lines = science_warnings()
    if lines:
        shown = lines[:20] + (
            [f"  ... and {len(lines) - 20} more (grep -r WARNING results/logs)"] if len(lines) > 20 else []
        )
        sys.stderr.write(f"\nlifsim: {len(lines)} science warning(s) in this run:\n" + "\n".join(shown) + "\n\n")


onstart:
    _damaged = damaged_inputs()
    for _exc in _damaged:
        sys.stderr.write(f"\nlifsim: {_exc}\n")
    if _damaged:
        sys.stderr.write("\n")
        raise SystemExit(1)


onsuccess:
    print_warnings()


onerror:
    print_warnings()
