"""One simulation job from its resolved parameters: the ``simulate`` stage of most experiment kinds."""
from __future__ import annotations


def simulate_job(params: dict, inputs: list | None = None, threads: int | None = None) -> dict:
    """Simulate the job and return its dataset's content (``lifsim.dataset.job_variables``).

    ``inputs`` (other jobs' datasets) is unused: these jobs depend on nothing but their params.
    """
    from .dataset import job_variables
    from .sim import simulate

    return job_variables(params, simulate(params, threads=threads))
