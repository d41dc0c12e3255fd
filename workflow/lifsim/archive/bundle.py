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
from .manifest import (ENVIRONMENT, MANIFEST, README, RESOLVED, RESULT_STAGES, ArchiveError, Report,
                       archive_name, check_member_name, compare, describe_dataset, manifest_text,
                       parse_manifest, readme_text)

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
    """``{archive path: file}`` for result files ``.../results/<stage>/<file>`` -> ``<stage>/<file>``."""
    out = {}
    for path in map(Path, paths):
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
    dataset_lines = {p: describe_dataset(io.read_dataset(src)) for p, src in files.items() if p.endswith(".nc")}
    files[README] = readme_text(name, files, experiments, dataset_lines).encode("utf-8")
    files[MANIFEST] = manifest_text({p: sha256_of(src) for p, src in files.items()}).encode("utf-8")
    order = [README, MANIFEST] + sorted(set(files) - {README, MANIFEST})
    with io.atomic_path(target) as tmp:
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in order:
                _add(tar, f"{name}/{path}", files[path])
    return target


def _add(tar: tarfile.TarFile, arcname: str, source) -> None:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = len(data), MTIME, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, memory.BytesIO(data))


# ---- checking ---------------------------------------------------------------------------------------------------

def verify(path) -> Report:
    """Check an archive (.tar) or an extracted archive folder against its MANIFEST.

    Raises ArchiveError when there is nothing to check (no MANIFEST, a MANIFEST
    that does not parse, a file that is not a readable tar).
    """
    path = Path(path)
    if path.is_dir():
        name, manifest, found = path.name, *_scan_folder(path)
    elif path.is_file():
        name, manifest, found = _scan_tar(path)
    else:
        raise ArchiveError(f"{path}: no such archive file or folder")
    if manifest is None:
        raise ArchiveError(f"{path}: no {MANIFEST} at the top of the archive, nothing to check against")
    try:
        text = manifest.decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: {MANIFEST} is not UTF-8 text (damaged)") from None
    return compare(name, parse_manifest(text), found)


def _scan_folder(folder: Path):
    manifest, found = None, {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST and path.is_file() and not path.is_symlink():
            manifest = path.read_bytes()
        elif path.is_symlink() or not (path.is_file() or path.is_dir()):
            found[rel] = NOT_A_FILE
        elif path.is_file():
            found[rel] = sha256_of(path)
    return manifest, found


def _scan_tar(path: Path):
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
                else:
                    found[rel] = sha256_of(tar.extractfile(member))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"{path}: not a readable tar archive ({exc})") from None
    return top or path.name, manifest, found


# ---- unpacking --------------------------------------------------------------------------------------------------

def extract(archive, dest) -> Path:
    """Unpack ``archive`` into ``dest``; returns the archive's folder there.

    Every member is checked before anything is written: it must be a regular
    file or folder whose path is plain, relative and inside ``dest``, and all
    must share one top folder that does not exist yet. Anything else is refused
    with an ArchiveError naming the member.
    """
    dest = Path(dest).resolve()
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            tops = set()
            for member in members:
                name = check_member_name(member.name)
                if not (member.isfile() or member.isdir()):
                    raise ArchiveError(f"refusing member {member.name!r}: not a regular file or folder")
                if dest not in (dest / name).resolve().parents:
                    raise ArchiveError(f"refusing member {member.name!r}: it would land outside {dest}")
                tops.add(name.split("/", 1)[0])
            if len(tops) != 1:
                raise ArchiveError(f"expected all members in one top folder, got {sorted(tops)}")
            folder = dest / tops.pop()
            if folder.exists():
                raise ArchiveError(f"{folder} exists already: extract elsewhere or remove it first")
            dest.mkdir(parents=True, exist_ok=True)
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, EOFError) as exc:
        raise ArchiveError(f"{archive}: not a readable tar archive ({exc})") from None
    return folder
