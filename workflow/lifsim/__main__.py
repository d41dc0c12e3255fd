"""``python -m lifsim ...``: the command line (see :mod:`lifsim.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
