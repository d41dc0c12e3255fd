"""The only module that touches disk: atomic, durable, checksummed NetCDF writes; checked reads; job logs.

Every array variable lifsim writes carries an HDF5 Fletcher-32 checksum per
chunk, so a flipped byte fails the read. HDF5 cannot checksum a scalar
variable (it is never chunked), so the SHA-256 of all scalar values goes in the
global attribute ``lifsim_scalars_sha256``, which :func:`check_netcdf` checks.
:func:`read_dataset` and :func:`check_netcdf` turn a failed checksum, a
truncated file or a file that is not NetCDF into one :class:`IntegrityError`
naming the file and how to regenerate it.
"""
from __future__ import annotations

import contextlib
import glob
import logging
import os
import sys
import tempfile
from pathlib import Path

ENGINE = "netcdf4"
CHECKSUM = {"fletcher32": True}   # netCDF4's own option: HDF5 Fletcher-32 per chunk, checked on every read
SCALARS_DIGEST = "lifsim_scalars_sha256"   # global attribute: SHA-256 of the scalar variables' values


class IntegrityError(OSError):
    """A lifsim file that cannot be trusted: a checksum fails, it is truncated, or it is not NetCDF."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"damaged file {self.path} ({reason}); regenerate it: "
                         f"{regenerate_command(self.path)} (or delete it and run snakemake again)")


def regenerate_command(path) -> str:
    """The command that makes ``path`` again (and, through it, everything downstream)."""
    return f"snakemake -c4 --forcerun {path}"


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
        _seal_scalars(tmp)


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
                                        shuffle=encoding.get("shuffle", True), fill_value=False,
                                        fletcher32=bool(dims))
                linked = [c for c in aux if c != name and set(content["coords"][c][0]) <= set(dims) and
                          name in content["data_vars"]]
                var.setncatts({**attrs, **({"coordinates": " ".join(linked)} if linked else {})})
                if data.size:
                    var[...] = data
        _seal_scalars(tmp)


def read_dataset(path):
    """Load a whole dataset into memory and close the file (times stay plain floats).

    Every checksum is checked on the way; a damaged file raises :class:`IntegrityError`.
    """
    import xarray as xr

    with _damage_as_integrity_error(path):
        ds = xr.load_dataset(path, engine=ENGINE, decode_timedelta=False)
    ds.attrs.pop(SCALARS_DIGEST, None)   # it describes the file, not the data (check_netcdf checks it)
    return ds


def _scalars_digest(nc) -> str | None:
    """SHA-256 of every scalar variable's name, type and stored bytes (None when there is none)."""
    import hashlib

    import numpy as np

    scalars = sorted((name, var) for name, var in nc.variables.items() if var.ndim == 0)
    if not scalars:
        return None
    digest = hashlib.sha256()
    for name, var in scalars:
        var.set_auto_maskandscale(False)
        value = var[...]
        raw = str(value).encode("utf-8") if var.dtype is str else np.asarray(value).tobytes()
        digest.update(f"{name}\0{var.dtype}\0{len(raw)}\0".encode("utf-8") + raw)
    return digest.hexdigest()


def _seal_scalars(path) -> None:
    """Store the digest of the scalar variables of the file just written at ``path`` in its attributes."""
    import netCDF4

    with netCDF4.Dataset(str(path), "a") as nc:
        digest = _scalars_digest(nc)
        if digest is not None:
            nc.setncattr(SCALARS_DIGEST, digest)


def check_netcdf(path, memory: bytes | None = None, require_checksums: bool = True) -> int:
    """Read every variable of a lifsim NetCDF file (from disk, or ``memory`` holding its bytes).

    Returns the number of variables read. Raises :class:`IntegrityError` when a
    checksum fails, the file is truncated or not NetCDF, or (``require_checksums``)
    a variable that HDF5 could checksum carries none (written before lifsim
    checksummed its files: damage to it could go unnoticed).
    """
    import netCDF4

    with _damage_as_integrity_error(path):
        with netCDF4.Dataset(str(path), "r", memory=memory) as nc:
            count = 0
            for group in _groups(nc):
                for var in group.variables.values():
                    if require_checksums and var.ndim and var.size and not var.filters().get("fletcher32"):
                        raise IntegrityError(path, f"variable {var.name!r} has no checksum (written before "
                                             "lifsim checksummed its files)")
                    var.set_auto_maskandscale(False)
                    var[...]
                    count += 1
            stored = nc.getncattr(SCALARS_DIGEST) if SCALARS_DIGEST in nc.ncattrs() else None
            if (stored is not None or require_checksums) and stored != _scalars_digest(nc):
                raise IntegrityError(path, "the scalar variables do not match their checksum "
                                     f"({SCALARS_DIGEST})" if stored else f"no {SCALARS_DIGEST} checksum")
            return count


def _groups(group):
    yield group
    for child in group.groups.values():
        yield from _groups(child)


@contextlib.contextmanager
def _damage_as_integrity_error(path):
    try:
        yield
    except (IntegrityError, FileNotFoundError):
        raise
    except (OSError, RuntimeError, ValueError, IndexError, KeyError) as exc:
        raise IntegrityError(path, _reason(exc, path)) from None


def _reason(exc: BaseException, path) -> str:
    text = " ".join(str(exc).replace(f": {str(path)!r}", "").split()) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = " ".join(exc.strerror.split())          # without "[Errno -101]" and the file name
    if "HDF error" in text:
        text += ": a checksum failed or the file is truncated"
    return text[:200]


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
