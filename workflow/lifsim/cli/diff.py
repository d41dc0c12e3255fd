"""``lifsim diff A B``: two datasets (.nc) or two archives (.tar or extracted folders) compared.

For datasets: the parameters that differ (the ``lifsim_params`` attribute, SI units), other attributes, then
every coordinate and variable that changed, with its largest difference, where, and relative to A. For
archives: the resolved parameters (``config/resolved.json``), the members only in one, and for each dataset
or analysis file in both, the numbers that changed; figures are compared by checksum.
Exit status: 0 no difference in parameters or numbers, 1 differences, 2 something could not be read.
"""
from __future__ import annotations

import sys
import tarfile
import tempfile
from pathlib import Path

from . import compare

MAX_LINES = 40


def add_parser(commands):
    p = commands.add_parser("diff", help="compare two datasets or two archives",
                            description="Compare two datasets (.nc) or two archives (.tar, or folders they were "
                            "extracted to): which parameters differ and by how much the measured numbers "
                            "changed. Exit status: 0 no difference, 1 differences, 2 unreadable input.")
    p.add_argument("a", metavar="A", help="a dataset .nc, an archive .tar or an extracted archive folder")
    p.add_argument("b", metavar="B", help="the same kind of thing as A")
    p.add_argument("--all", action="store_true", help=f"list every difference (default: {MAX_LINES} per section)")
    return p


def run(args) -> int:
    from ..archive import ArchiveError

    limit = None if args.all else MAX_LINES
    datasets_given = [str(x).endswith(".nc") for x in (args.a, args.b)]
    if any(datasets_given) and not all(datasets_given):
        print("lifsim diff: expected two datasets (.nc) or two archives, got one of each", file=sys.stderr)
        return 2
    try:
        if all(datasets_given):
            lines, differ = datasets(args.a, args.b, limit)
        else:
            lines, differ = archives(args.a, args.b, limit)
    except (ArchiveError, OSError, ValueError) as exc:
        print(f"lifsim diff: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 1 if differ else 0


def section(title: str, lines: list[str], limit: int | None) -> list[str]:
    if not lines:
        return []
    cut = lines if limit is None else lines[:limit]
    more = [f"  ... and {len(lines) - len(cut)} more (--all)"] if len(cut) < len(lines) else []
    return [f"{title} ({len(lines)}):", *(f"  {ln}" for ln in cut), *more]


def datasets(path_a, path_b, limit) -> tuple[list[str], bool]:
    from .. import io

    a, b = io.read_dataset(path_a), io.read_dataset(path_b)
    params = compare.parameter_changes(compare.params_of(a), compare.params_of(b))
    science, provenance = compare.attribute_changes(a, b)
    numbers = compare.dataset_changes(a, b)
    out = [f"A: {path_a}", f"B: {path_b}"]
    out += section("parameters that differ", params, limit)
    out += section("attributes that differ", science, limit)
    out += section("measured numbers that changed", numbers, limit)
    out += section("provenance that differs", provenance, limit)
    differ = bool(params or science or numbers)
    if not differ:
        out.append("same parameters, same numbers" + (" (different provenance)" if provenance else ""))
    return out, differ


def archive_folder(path, scratch: Path) -> Path:
    """The folder of an archive: itself if extracted, else unpacked (safely) into ``scratch``."""
    from ..archive import ArchiveError, bundle

    path = Path(path)
    if path.is_dir():
        return path
    if not path.is_file():
        raise ArchiveError(f"{path}: no such dataset, archive file or folder")
    if not tarfile.is_tarfile(path):
        raise ArchiveError(f"{path}: not a dataset (.nc), an archive (.tar) or a folder an archive was extracted to")
    return bundle.extract(path, scratch)


def archives(path_a, path_b, limit) -> tuple[list[str], bool]:
    import json

    from ..archive.bundle import sha256_of
    from ..archive.manifest import MANIFEST, RESOLVED

    with tempfile.TemporaryDirectory(prefix="lifsim-diff-") as scratch:
        fa = archive_folder(path_a, Path(scratch) / "a")
        fb = archive_folder(path_b, Path(scratch) / "b")
        resolved = [json.loads((f / RESOLVED).read_text(encoding="utf-8")) for f in (fa, fb)]
        params = compare.parameter_changes(*resolved)
        members = [{p.relative_to(f).as_posix() for p in f.rglob("*") if p.is_file()} - {MANIFEST} for f in (fa, fb)]
        only = [f"{m}: only in A" for m in sorted(members[0] - members[1])]
        only += [f"{m}: only in B" for m in sorted(members[1] - members[0])]
        numbers, files = [], []
        for member in sorted(members[0] & members[1]):
            if sha256_of(fa / member) == sha256_of(fb / member):
                continue
            if member.endswith(".nc"):
                from .. import io

                changes = compare.dataset_changes(io.read_dataset(fa / member), io.read_dataset(fb / member))
                numbers += [f"{member}: {c}" for c in changes] or [f"{member}: same numbers, other bytes"]
            elif member.startswith(("datasets/", "analysis/", "figures/", "summaries/")) or member.endswith(".html"):
                files.append(f"{member}: differs")
    out = [f"A: {path_a}", f"B: {path_b}"]
    out += section("parameters that differ (config/resolved.json, SI units)", params, limit)
    out += section("files in one archive only", only, limit)
    out += section("measured numbers that changed", numbers, limit)
    out += section("other result files that differ (checksum)", files, limit)
    differ = bool(params or only or numbers or files)
    if not differ:
        out.append("same parameters, same results")
    return out, differ
