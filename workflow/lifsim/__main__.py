"""Command line of lifsim (``python -m lifsim ...`` or, once installed, ``lifsim ...``).

    lifsim verify ARCHIVE          check a dataset archive (.tar or extracted folder) against its MANIFEST
    lifsim verify --deep ARCHIVE   ... and read every NetCDF file in it back in full (its own checksums)
    lifsim extract ARCHIVE [DEST]  unpack an archive safely into DEST (default: here), then verify it

Exit status: 0 all good; 1 missing, extra or corrupted files (each named); 2 nothing could be checked.
"""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="lifsim", description="lifsim dataset archives")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check every file of an archive against its MANIFEST")
    verify.add_argument("archive", help="results/archive/lifsim-<hash>.tar, or a folder it was extracted to")
    verify.add_argument("--deep", action="store_true", help="also read every NetCDF file back in full")
    extract = commands.add_parser("extract", help="unpack an archive safely, then verify it")
    extract.add_argument("archive", help="an archive .tar file")
    extract.add_argument("dest", nargs="?", default=".", help="folder to unpack into (default: here)")
    args = parser.parse_args(argv)

    from .archive import ArchiveError, bundle

    try:
        if args.command == "extract":
            folder = bundle.extract(args.archive, args.dest)
            print(f"extracted {args.archive} to {folder}")
            report = bundle.verify(folder)
        else:
            report = bundle.verify(args.archive, deep=args.deep)
    except (ArchiveError, OSError) as exc:
        print(f"lifsim {args.command}: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
