"""Unpacking an archive safely: every member is checked before the first byte is written.

The checks, all made while reading the member headers (a compressed archive is
decompressed once for them, and nothing of it is kept in memory or on disk):

- at most MAX_MEMBERS members and MAX_BYTES bytes in all, and, for a compressed
  archive, at most MAX_RATIO bytes unpacked per byte of archive beyond the first
  FREE_BYTES (a 2 MB .tar.gz of 2 GiB of zeros is refused as soon as its header
  says so);
- each name a plain relative path of printable characters (no newline or other
  control character, no ``..``, not absolute, no backslash, components of at
  most 255 bytes) inside the target folder;
- only regular files and folders (no links, devices, FIFOs);
- no name twice, not even differing only in case, and no name that is a file
  in one member and a folder (or a folder's parent) in another;
- one top folder for all, which does not exist yet.

The members are then written into a hidden temporary folder beside the target
and renamed into place at the end; on any failure that folder is removed, so
nothing is left behind.
"""
from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from .manifest import ArchiveError, check_member_name

MAX_MEMBERS = 10_000
MAX_BYTES = 1 << 30            # 1 GiB unpacked (the default pipeline's archive holds a few MB)
MAX_RATIO = 100                # unpacked bytes per archive byte, for compressed archives ...
FREE_BYTES = 64 << 20          # ... beyond the first 64 MiB
NAME_BYTES = 255               # the usual file-name limit of a file system


def extract(archive, dest, max_bytes: int = MAX_BYTES, max_members: int = MAX_MEMBERS) -> Path:
    """Unpack ``archive`` into ``dest`` after checking every member; returns the archive's folder there."""
    archive, dest = Path(archive), Path(dest).resolve()
    try:
        with tarfile.open(archive, "r:*") as tar:
            compressed = not _plain_tar(archive)
            by_ratio = FREE_BYTES + MAX_RATIO * archive.stat().st_size if compressed else max_bytes
            members = _checked_members(tar, dest, min(max_bytes, by_ratio), max_members, by_ratio < max_bytes)
            top = members[0].name.split("/", 1)[0]
            folder = dest / top
            if folder.exists():
                raise ArchiveError(f"{folder} exists already: extract elsewhere or remove it first")
            dest.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".lifsim-extract-", dir=dest))
            try:
                tar.extractall(staging, members=members, filter="data")
                os.replace(staging / top, folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (tarfile.TarError, EOFError) as exc:
        raise ArchiveError(f"{archive}: not a readable tar archive ({exc})") from None
    return folder


def _plain_tar(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(6)
    return not (head.startswith(b"\x1f\x8b") or head.startswith(b"BZh") or head.startswith(b"\xfd7zXZ"))


def _checked_members(tar: tarfile.TarFile, dest: Path, budget: int, max_members: int,
                     ratio_bound: bool) -> list[tarfile.TarInfo]:
    members, total, tops = [], 0, set()
    names = _Names()
    for member in tar:                      # one header at a time: a refusal stops before the rest is read
        if len(members) >= max_members:
            raise ArchiveError(f"refusing the archive: more than {max_members} members")
        name = _checked_name(member, dest)
        total += member.size if member.isfile() else 0
        if total > budget:
            why = (f"{MAX_RATIO} x the compressed size beyond {FREE_BYTES >> 20} MiB" if ratio_bound
                   else "the size cap")
            raise ArchiveError(f"refusing member {member.name!r}: the members would unpack to more than "
                               f"{budget} bytes ({why})")
        names.claim(name, "file" if member.isfile() else "folder", member.name)
        tops.add(name.split("/", 1)[0])
        members.append(member)
    if not members:
        raise ArchiveError("refusing the archive: it holds no member")
    if len(tops) != 1:
        raise ArchiveError(f"expected all members in one top folder, got {sorted(tops)}")
    return members


def _checked_name(member: tarfile.TarInfo, dest: Path) -> str:
    raw = member.name
    bad = next((c for c in raw if ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF), None)
    if bad is not None:
        raise ArchiveError(f"unsafe member path {raw!r}: it holds the control character {bad!r}")
    name = check_member_name(raw)
    if any(len(part.encode("utf-8")) > NAME_BYTES for part in name.split("/")):
        raise ArchiveError(f"refusing member {raw[:100]!r}: a path component longer than {NAME_BYTES} bytes")
    if not (member.isfile() or member.isdir()):
        raise ArchiveError(f"refusing member {raw!r}: not a regular file or folder")
    if dest not in (dest / name).resolve().parents:
        raise ArchiveError(f"refusing member {raw!r}: it would land outside {dest}")
    return name


class _Names:
    """The names claimed so far: each a file or a folder (folders also implied by their members' paths)."""

    def __init__(self):
        self.kinds: dict[str, str] = {}     # normalised name -> "file" | "folder"
        self.given: set[str] = set()         # names that were members themselves
        self.folded: dict[str, str] = {}    # case-folded name -> name

    def claim(self, name: str, kind: str, raw: str) -> None:
        """Refuse a second member of one name, a case-only twin, or a name both file and folder."""
        parts = name.split("/")
        for i in range(1, len(parts)):
            self._record("/".join(parts[:i]), "folder", raw, implied=True)
        self._record(name, kind, raw, implied=False)

    def _record(self, name: str, kind: str, raw: str, implied: bool) -> None:
        known = self.kinds.get(name)
        if known is not None and known != kind:
            raise ArchiveError(f"refusing member {raw!r}: {name!r} is both a file and a folder in the archive")
        if not implied and name in self.given:
            raise ArchiveError(f"refusing member {raw!r}: {name!r} is in the archive twice")
        twin = self.folded.setdefault(name.casefold(), name)
        if twin != name:
            raise ArchiveError(f"refusing member {raw!r}: {name!r} differs from {twin!r} only in case")
        self.kinds[name] = kind
        if not implied:
            self.given.add(name)
