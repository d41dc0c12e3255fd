"""The only module that touches disk: atomic NetCDF writes, safe reads, logging to a job's log file."""
from __future__ import annotations

import contextlib
import glob
import logging
import os
import tempfile
from pathlib import Path

ENGINE = "netcdf4"
# Traces are stored as float32 (about 30 nV error on a voltage), compressed; coordinates stay float64.
TRACE_ENCODING = {"dtype": "float32", "zlib": True, "complevel": 4, "shuffle": True}


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds.

    A job that fails or is killed mid-write leaves no file under the final
    name, so neither Snakemake nor a reader can take a partial file as complete.
    A process killed outright (SIGKILL) cannot remove its temporary file; the
    next write of the same output removes it (Snakemake runs one job per output
    at a time, and its directory lock keeps a second snakemake out).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_dataset(ds, path) -> None:
    """Write ``ds`` to NetCDF-4 atomically (netcdf4 engine; encodings set on the variables)."""
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE)


def write_variables(content: dict, path) -> None:
    """Write ``lifsim.dataset.job_variables`` content with netCDF4 directly (no xarray import), atomically.

    The file reads back with xarray as the same dataset ``lifsim.dataset.to_dataset`` builds.
    """
    import netCDF4
    import numpy as np

    variables = {**content["coords"], **content["data_vars"]}
    # coordinates that are not dimensions are named in each variable's CF `coordinates` attribute
    aux = [name for name, (dims, *_) in content["coords"].items() if dims != (name,)]
    with atomic_path(path) as tmp:
        with netCDF4.Dataset(tmp, "w", format="NETCDF4") as nc:
            nc.setncatts(content["attrs"])
            for name, (dims, data, _, _) in variables.items():
                for dim, size in zip(dims, np.shape(data)):
                    if dim not in nc.dimensions:
                        nc.createDimension(dim, size)
            for name, (dims, data, attrs, encoding) in variables.items():
                data = np.asarray(data, dtype=encoding.get("dtype", np.asarray(data).dtype))
                var = nc.createVariable(name, data.dtype, dims, zlib=encoding.get("zlib", False),
                                        complevel=encoding.get("complevel", 4),
                                        shuffle=encoding.get("shuffle", True), fill_value=False)
                linked = [c for c in aux if c != name and set(content["coords"][c][0]) <= set(dims) and
                          name in content["data_vars"]]
                var.setncatts({**attrs, **({"coordinates": " ".join(linked)} if linked else {})})
                if data.size:
                    var[...] = data


def write_content(content, path) -> None:
    """Write a job's output: ``lifsim.dataset.job_variables`` content (a dict) or an ``xr.Dataset``."""
    if isinstance(content, dict):
        write_variables(content, path)
    else:
        write_dataset(content, path)


def read_dataset(path):
    """Load a whole dataset into memory and close the file (times stay plain floats)."""
    import xarray as xr

    return xr.load_dataset(path, engine=ENGINE, decode_timedelta=False)


def write_text(text: str, path) -> None:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def save_figure(fig, path, dpi: int) -> None:
    """Save a matplotlib figure atomically, without creation dates (identical runs, identical files)."""
    path = Path(path)
    fmt = path.suffix.lstrip(".")
    metadata = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
                "svg": {"Date": None}}.get(fmt, {})
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)


# Where a job appends the modules it imported (lifsim's and the large libraries), when this variable is set:
# the tests compare them with the code inputs of the job's rule (lifsim.codedeps).
IMPORTS_LOG_VARIABLE = "LIFSIM_IMPORTS_LOG"
WATCHED_LIBRARIES = ("matplotlib", "netCDF4", "numba", "numpy", "scipy", "xarray")


@contextlib.contextmanager
def job_log(path):
    """Log to a job's log file; an exception is written there too before it ends the job."""
    log = log_to(path)
    try:
        yield log
    except BaseException as exc:
        log.exception("job failed: %s: %s", type(exc).__name__, exc)
        raise
    if os.environ.get(IMPORTS_LOG_VARIABLE):
        record_imports(os.environ[IMPORTS_LOG_VARIABLE], str(path))


def record_imports(target, job: str) -> None:
    """Append one JSON line ``{"log": job, "lifsim": [...], "libraries": [...]}`` of what this process imported."""
    import json
    import sys

    lifsim = sorted(m for m in sys.modules if m == "lifsim" or m.startswith("lifsim."))
    libraries = sorted(m for m in WATCHED_LIBRARIES if m in sys.modules)
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"log": job, "lifsim": lifsim, "libraries": libraries}) + "\n")


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
