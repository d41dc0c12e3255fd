"""The ``lifsim`` command line (also ``python -m lifsim``): one module per command.

    lifsim check CONFIG [CONFIG...]   validate a config (files layered in order) and print the resolved plan
    lifsim show FILE.nc               what a dataset holds: dimensions, coordinates, variables with units
    lifsim diff A B                   two datasets or two archives: parameters that differ, numbers that changed
    lifsim verify ARCHIVE             check an archive (.tar or extracted folder) against its MANIFEST
    lifsim extract ARCHIVE [DEST]     unpack an archive safely, then verify it

Each command module has ``add_parser(commands)`` (declares its arguments, returns its parser, so options can
be added there) and ``run(args) -> int`` (the exit status). Only argparse is imported here: every command
imports what it needs when it runs, so ``lifsim check`` never loads numpy or xarray.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("check", "show", "diff", "verify", "extract")


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command (``lifsim --help``, ``lifsim <command> --help``)."""
    top = argparse.ArgumentParser(prog="lifsim", description="lifsim: check configs, look into datasets, "
                                  "compare results, verify archives. 'lifsim <command> --help' for each.")
    from .. import __version__

    top.add_argument("--version", action="version", version=f"lifsim {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="command")
    for name in COMMANDS:
        module = importlib.import_module(f".{name}", __name__)
        module.add_parser(commands).set_defaults(run=module.run)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:   # `lifsim show x.nc | head`
        sys.stderr.close()
        return 0
