"""Files: atomic, durable, checksummed NetCDF writes (see ``integrity``); checked reads; text (figures: ``figures``)."""
from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path

from .integrity import CHECKSUM, SCALARS_DIGEST, damage_as_integrity_error, seal_scalars

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
        _fsync(tmp, os.O_RDONLY)          # the bytes reach the disk before the name does
        os.replace(tmp, path)
        _fsync(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))   # and so does the rename
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _fsync(path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_dataset(ds, path) -> None:
    """Write ``ds`` to NetCDF-4 atomically (netcdf4 engine; encodings set on the variables, plus checksums)."""
    ds = ds.copy(deep=False)
    ds.attrs.pop(SCALARS_DIGEST, None)   # recomputed from what is written
    for var in ds.variables.values():
        if var.ndim:                     # HDF5 cannot checksum a scalar (contiguous storage)
            kept = {k: v for k, v in var.encoding.items() if k != "contiguous"}   # a checksum needs chunks
            var.encoding = {**kept, **CHECKSUM}
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE)
        seal_scalars(tmp)


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
            for dims, data, _, _ in variables.values():
                for dim, size in zip(dims, np.shape(data)):
                    if dim not in nc.dimensions:
                        nc.createDimension(dim, size)
            for name, (dims, data, attrs, encoding) in variables.items():
                data = np.asarray(data, dtype=encoding.get("dtype", np.asarray(data).dtype))
                var = nc.createVariable(name, data.dtype, dims, zlib=encoding.get("zlib", False),
                                        complevel=encoding.get("complevel", 4),
                                        shuffle=encoding.get("shuffle", True), fill_value=False,
                                        fletcher32=bool(dims))
                linked = [c for c in aux if c != name and set(content["coords"][c][0]) <= set(dims) and
                          name in content["data_vars"]]
                var.setncatts({**attrs, **({"coordinates": " ".join(linked)} if linked else {})})
                if data.size:
                    var[...] = data
        seal_scalars(tmp)


def write_content(content, path) -> None:
    """Write a job's output: ``lifsim.dataset.job_variables`` content (a dict) or an ``xr.Dataset``."""
    if isinstance(content, dict):
        write_variables(content, path)
    else:
        write_dataset(content, path)


def read_dataset(path):
    """Load a whole dataset into memory and close the file (times stay plain floats).

    Every checksum is checked on the way; a damaged file raises :class:`IntegrityError`.
    """
    import xarray as xr

    with damage_as_integrity_error(path):
        ds = xr.load_dataset(path, engine=ENGINE, decode_timedelta=False)
    ds.attrs.pop(SCALARS_DIGEST, None)   # it describes the file, not the data (check_netcdf checks it)
    return ds


def read_variables(path) -> dict:
    """Load a file as ``lifsim.dataset.job_variables`` content, with netCDF4 alone (no xarray import).

    Coordinates are the variables named as their one dimension and those a CF ``coordinates``
    attribute names; every checksum is checked on the way (a damaged file raises :class:`IntegrityError`).
    """
    import netCDF4

    with damage_as_integrity_error(path), netCDF4.Dataset(path) as nc:
        nc.set_auto_mask(False)
        attrs = {k: nc.getncattr(k) for k in nc.ncattrs() if k != SCALARS_DIGEST}
        aux = {name for var in nc.variables.values() for name in str(getattr(var, "coordinates", "")).split()}
        out = {"coords": {}, "data_vars": {}, "attrs": attrs}
        for name, var in nc.variables.items():
            var_attrs = {k: var.getncattr(k) for k in var.ncattrs() if k not in ("coordinates", "_FillValue")}
            encoding = {"dtype": var.dtype, **({"_FillValue": var._FillValue} if "_FillValue" in var.ncattrs() else {})}
            data = var[...]
            if var_attrs.get("dtype") == "bool":             # xarray's way of storing booleans
                del var_attrs["dtype"]
                data = data.astype(bool)
            entry = (tuple(var.dimensions), data, var_attrs, encoding)
            out["coords" if var.dimensions == (name,) or name in aux else "data_vars"][name] = entry
    return out


def write_text(text: str, path) -> None:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
