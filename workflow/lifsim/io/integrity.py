"""Integrity of lifsim's NetCDF files: per-chunk checksums, the digest of scalar variables, damage reports.

Every array variable lifsim writes carries an HDF5 Fletcher-32 checksum per
chunk, so a flipped byte fails the read. HDF5 cannot checksum a scalar
variable (it is never chunked), so the SHA-256 of all scalar values goes in the
global attribute ``lifsim_scalars_sha256``, which :func:`check_netcdf` checks.
A failed checksum, a truncated file or a file that is not NetCDF is one
:class:`IntegrityError` naming the file and how to regenerate it.
"""
from __future__ import annotations

import contextlib

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


def scalars_digest(nc) -> str | None:
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
        digest.update(f"{name}\0{var.dtype}\0{len(raw)}\0".encode() + raw)
    return digest.hexdigest()


def seal_scalars(path) -> None:
    """Store the digest of the scalar variables of the file just written at ``path`` in its attributes."""
    import netCDF4

    with netCDF4.Dataset(str(path), "a") as nc:
        digest = scalars_digest(nc)
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

    with damage_as_integrity_error(path):
        with netCDF4.Dataset(str(path), "r", memory=memory) as nc:
            count = 0
            for group in groups(nc):
                for var in group.variables.values():
                    if require_checksums and var.ndim and var.size and not var.filters().get("fletcher32"):
                        raise IntegrityError(path, f"variable {var.name!r} has no checksum (written before "
                                             "lifsim checksummed its files)")
                    var.set_auto_maskandscale(False)
                    var[...]
                    count += 1
            stored = nc.getncattr(SCALARS_DIGEST) if SCALARS_DIGEST in nc.ncattrs() else None
            if (stored is not None or require_checksums) and stored != scalars_digest(nc):
                raise IntegrityError(path, "the scalar variables do not match their checksum "
                                     f"({SCALARS_DIGEST})" if stored else f"no {SCALARS_DIGEST} checksum")
            return count


def groups(group):
    yield group
    for child in group.groups.values():
        yield from groups(child)


@contextlib.contextmanager
def damage_as_integrity_error(path):
    try:
        yield
    except (IntegrityError, FileNotFoundError):
        raise
    except (OSError, RuntimeError, ValueError, IndexError, KeyError) as exc:
        raise IntegrityError(path, reason(exc, path)) from None


def reason(exc: BaseException, path) -> str:
    text = " ".join(str(exc).replace(f": {str(path)!r}", "").split()) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = " ".join(exc.strerror.split())          # without "[Errno -101]" and the file name
    if "HDF error" in text:
        text += ": a checksum failed or the file is truncated"
    return text[:200]
