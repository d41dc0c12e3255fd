"""Dataset archives on disk: write one (same files, same bytes), verify a tar or a folder, unpack safely.

Together with ``lifsim.io`` the only code that touches disk; what goes in and
how it is checked is decided by the pure functions of ``lifsim.archive.manifest``.
"""
from __future__ import annotations

import hashlib
import io as memory
import json
import platform
import tarfile
from pathlib import Path

from .. import io, provenance
from .manifest import (
    ENVIRONMENT,
    MANIFEST,
    README,
    REPORT,
    RESOLVED,
    RESULT_STAGES,
    ArchiveError,
    Report,
    archive_name,
    compare,
    describe_dataset,
    manifest_text,
    parse_manifest,
    readme_text,
)
from .unpack import extract

__all__ = ["build_archive", "extract", "result_members", "sha256_of", "verify"]

# Every member gets this modification time (2000-01-01 00:00 UTC), owner 0 and mode 644, and members are
# written in a fixed order: archiving the same files twice gives the same bytes.
MTIME = 946684800
CHUNK = 1 << 20
NOT_A_FILE = "not a regular file"   # what verify records for a symlink or device instead of a digest


def sha256_of(source) -> str:
    """SHA-256 of bytes, or of a file (path) or binary stream read in chunks."""
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return digest.hexdigest()
    stream = open(source, "rb") if isinstance(source, (str, Path)) else source
    with stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def environment() -> dict:
    return {"software": provenance.software_versions(), "git_commit": provenance.git_commit(),
            "platform": platform.platform(), "machine": platform.machine(),
            "python_implementation": platform.python_implementation()}


def result_members(paths) -> dict[str, Path]:
    """``{archive path: file}`` for result files ``.../results/<stage>/<file>`` -> ``<stage>/<file>``
    (and ``results/report.html`` -> ``report.html``)."""
    out = {}
    for path in map(Path, paths):
        if path.name == REPORT and path.parent.name == "results":
            out[REPORT] = path
            continue
        if path.parent.name not in RESULT_STAGES:
            raise ArchiveError(f"{path} is not in a results folder of {RESULT_STAGES}")
        out[f"{path.parent.name}/{path.name}"] = path
    return out


def build_archive(target, resolved: str, config_files, results, experiments) -> Path:
    """Write the archive of ``results`` (dataset, analysis and figure files) to ``target`` (a .tar file)."""
    target = Path(target)
    name = archive_name(resolved)
    if target.name != f"{name}.tar":
        raise ArchiveError(f"the archive of this parameter set is {name}.tar, not {target.name}")
    files: dict[str, bytes | Path] = {
        RESOLVED: resolved.encode("utf-8"),
        ENVIRONMENT: (json.dumps(environment(), indent=2, sort_keys=True) + "\n").encode("utf-8"),
    }
    for path in map(Path, config_files):
        if f"config/{path.name}" in files:
            raise ArchiveError(f"two config files named {path.name!r}, or one named like {RESOLVED}")
        files[f"config/{path.name}"] = path
    files.update(result_members(results))
    check_datasets({p: src for p, src in files.items() if p.endswith(".nc")})
    dataset_lines = {p: describe_dataset(io.read_dataset(src)) for p, src in files.items() if p.endswith(".nc")}
    files[README] = readme_text(name, files, experiments, dataset_lines).encode("utf-8")
    files[MANIFEST] = manifest_text({p: sha256_of(src) for p, src in files.items()}).encode("utf-8")
    order = [README, MANIFEST] + sorted(set(files) - {README, MANIFEST})
    with io.atomic_path(target) as tmp:
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in order:
                _add(tar, f"{name}/{path}", files[path])
    return target


def check_datasets(datasets: dict) -> None:
    """Re-read every NetCDF file (every variable, every checksum); refuse, naming all, if any is damaged."""
    damaged = []
    for src in datasets.values():
        try:
            io.check_netcdf(src)
        except io.IntegrityError as exc:
            damaged.append(exc)
    if len(damaged) == 1:
        raise damaged[0]
    if damaged:
        raise io.IntegrityError(" ".join(e.path for e in damaged),
                                "; ".join(f"{e.path}: {e.reason}" for e in damaged))


def _add(tar: tarfile.TarFile, arcname: str, source) -> None:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = len(data), MTIME, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, memory.BytesIO(data))


# ---- checking ---------------------------------------------------------------------------------------------------

def verify(path, deep: bool = False) -> Report:
    """Check an archive (.tar) or an extracted archive folder against its MANIFEST.

    With ``deep``, every NetCDF member is also opened and read in full (every
    checksum inside it checked): that catches a file damaged before it was
    archived, whose MANIFEST digest is that of the damaged bytes.
    Raises ArchiveError when there is nothing to check (no MANIFEST, a MANIFEST
    that does not parse, a file that is not a readable tar).
    """
    path = Path(path)
    damaged: dict[str, str] = {}
    if path.is_dir():
        name, manifest, found = path.name, *_scan_folder(path, damaged if deep else None)
    elif path.is_file():
        name, manifest, found = _scan_tar(path, damaged if deep else None)
    else:
        raise ArchiveError(f"{path}: no such archive file or folder")
    if manifest is None:
        raise ArchiveError(f"{path}: no {MANIFEST} at the top of the archive, nothing to check against")
    try:
        text = manifest.decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: {MANIFEST} is not UTF-8 text (damaged)") from None
    report = compare(name, parse_manifest(text), found)
    report.damaged = [f"{rel} ({reason})" for rel, reason in sorted(damaged.items())]
    if deep:
        report.read_back = sum(rel.endswith(".nc") for rel in found) - len(damaged)
    return report


def _deep_check(damaged: dict | None, rel: str, source, memory: bytes | None = None) -> None:
    """With ``damaged`` given, read NetCDF member ``rel`` in full; note why if it fails."""
    if damaged is None or not rel.endswith(".nc"):
        return
    try:
        io.check_netcdf(source, memory=memory)
    except io.IntegrityError as exc:
        damaged[rel] = exc.reason


def _scan_folder(folder: Path, damaged: dict | None = None):
    manifest, found = None, {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST and path.is_file() and not path.is_symlink():
            manifest = path.read_bytes()
        elif path.is_symlink() or not (path.is_file() or path.is_dir()):
            found[rel] = NOT_A_FILE
        elif path.is_file():
            found[rel] = sha256_of(path)
            _deep_check(damaged, rel, path)
    return manifest, found


def _scan_tar(path: Path, damaged: dict | None = None):
    manifest, found, top = None, {}, None
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                head, _, rel = member.name.partition("/")
                top = top or head
                if head != top or not rel:
                    if not member.isdir():
                        found[member.name] = NOT_A_FILE if not member.isfile() else "outside the top folder"
                    continue
                if member.isdir():
                    continue
                if not member.isfile():
                    found[rel] = NOT_A_FILE
                elif rel == MANIFEST:
                    manifest = tar.extractfile(member).read()
                elif damaged is not None and rel.endswith(".nc"):
                    data = tar.extractfile(member).read()
                    found[rel] = sha256_of(data)
                    _deep_check(damaged, rel, member.name, memory=data)
                else:
                    found[rel] = sha256_of(tar.extractfile(member))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"{path}: not a readable tar archive ({exc})") from None
    return top or path.name, manifest, found
