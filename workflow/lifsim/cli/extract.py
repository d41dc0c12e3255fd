"""``lifsim extract ARCHIVE [DEST]``: unpack an archive safely into DEST (default: here), then verify it."""
from __future__ import annotations

import sys

from .verify import print_report


def add_parser(commands):
    p = commands.add_parser("extract", help="unpack an archive safely, then verify it",
                            description="Unpack an archive safely (no member outside DEST, no links), then "
                            "verify it. Exit status as for 'lifsim verify'.")
    p.add_argument("archive", help="an archive .tar file")
    p.add_argument("dest", nargs="?", default=".", help="folder to unpack into (default: here)")
    return p


def run(args) -> int:
    from ..archive import ArchiveError, bundle

    try:
        folder = bundle.extract(args.archive, args.dest)
        print(f"extracted {args.archive} to {folder}")
        report = bundle.verify(folder)
    except (ArchiveError, OSError) as exc:
        print(f"lifsim extract: {exc}", file=sys.stderr)
        return 2
    return print_report(report)
