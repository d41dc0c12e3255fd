"""``lifsim verify ARCHIVE``: check every file of an archive (.tar or extracted folder) against its MANIFEST.

Exit status: 0 all good; 1 missing, extra or corrupted files (each named); 2 nothing could be checked.
"""
from __future__ import annotations

import sys


def add_parser(commands):
    p = commands.add_parser("verify", help="check every file of an archive against its MANIFEST",
                            description="Check every file of an archive against its MANIFEST. Exit status: 0 all good; "
                            "1 missing, extra or corrupted files (each named); 2 nothing could be checked.")
    p.add_argument("archive", help="results/archive/lifsim-<hash>.tar, or a folder it was extracted to")
    p.add_argument("--deep", action="store_true", help="also read every NetCDF file back in full (its checksums)")
    return p


def run(args) -> int:
    from ..archive import ArchiveError, bundle

    try:
        report = bundle.verify(args.archive, deep=args.deep)
    except (ArchiveError, OSError) as exc:
        print(f"lifsim verify: {exc}", file=sys.stderr)
        return 2
    return print_report(report)


def print_report(report) -> int:
    """Print a verification report (OK lines to stdout, problems to stderr); its exit status."""
    print("\n".join(report.lines()), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
