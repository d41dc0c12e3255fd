"""Job logs: a job's log file, its one-line failure on a damaged input, and what the run logged."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from .integrity import IntegrityError

# Where a job appends the modules it imported (lifsim's and the large libraries), when this variable is set:
# the tests compare them with the code inputs of the job's rule (lifsim.codedeps).
IMPORTS_LOG_VARIABLE = "LIFSIM_IMPORTS_LOG"
WATCHED_LIBRARIES = ("matplotlib", "netCDF4", "numba", "numpy", "scipy", "xarray")


def logged_warnings(folder, since: float) -> list[tuple[str, str]]:
    """``(log file, line)`` for each WARNING line in ``folder/**/*.log`` written at or after ``since`` (epoch s)."""
    found = []
    for log in sorted(Path(folder).rglob("*.log")):
        with contextlib.suppress(OSError):
            if log.stat().st_mtime < since:
                continue
            with open(log, encoding="utf-8", errors="replace") as f:
                found += [(str(log), line.strip()) for line in f if line.startswith("WARNING")]
    return found


@contextlib.contextmanager
def job_log(path):
    """Log to a job's log file; an exception is written there too before it ends the job."""
    log = log_to(path)
    try:
        yield log
    except IntegrityError as exc:        # a damaged input: one line, no traceback
        log.error("job failed: %s", exc)
        sys.stderr.write(f"\nlifsim: {exc}\n\n")
        raise SystemExit(1) from None
    except BaseException as exc:
        log.exception("job failed: %s: %s", type(exc).__name__, exc)
        raise
    if os.environ.get(IMPORTS_LOG_VARIABLE):
        record_imports(os.environ[IMPORTS_LOG_VARIABLE], str(path))


def record_imports(target, job: str) -> None:
    """Append one JSON line ``{"log": job, "lifsim": [...], "libraries": [...], "scipy": [...]}`` of what this
    process imported (``scipy``: its subpackages, e.g. ``scipy.special``: which part of SciPy a job used)."""
    import json
    import sys

    lifsim = sorted(m for m in sys.modules if m == "lifsim" or m.startswith("lifsim."))
    libraries = sorted(m for m in WATCHED_LIBRARIES if m in sys.modules)
    scipy = sorted({".".join(m.split(".")[:2]) for m in sys.modules if m.startswith("scipy.")})
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"log": job, "lifsim": lifsim, "libraries": libraries, "scipy": scipy}) + "\n")


def log_to(path) -> logging.Logger:
    """Send lifsim's log records and Python warnings to a job's log file."""
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("lifsim")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").handlers[:] = [handler]
    return root
