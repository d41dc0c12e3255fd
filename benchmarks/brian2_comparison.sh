#!/usr/bin/env bash
# lifsim against Brian2 on the same f-I sweep, in one run (see benchmarks/brian2_comparison.py).
#
#   bash benchmarks/brian2_comparison.sh [--sizes 1000 10000 100000 1000000] [--repeats 3] [...]
#
# Brian2 needs numpy < 2.4 while the project runs on numpy 2.4, so Brian2 gets its own virtual environment
# outside the repository (default: $XDG_CACHE_HOME/lifsim/brian2-venv, or ~/.cache/...; set BRIAN2_VENV to
# choose another place). It is created once, with pip, and reused. The project's Python (PYTHON, default
# python3) runs lifsim and drives Brian2 through the venv's Python. Brian2's standalone target needs a C++
# compiler (g++).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
python=${PYTHON:-python3}
venv=${BRIAN2_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lifsim/brian2-venv}
brian2_spec=${BRIAN2_SPEC:-brian2==2.9.0}  # the newest Brian2 for Python 3.11

case "$(realpath -m "$venv")/" in
  "$(realpath "$repo")"/*) echo "BRIAN2_VENV must lie outside the repository: $venv" >&2; exit 2 ;;
esac
if ! "$venv/bin/python" -c "import brian2" 2>/dev/null; then
  echo "creating $venv with $brian2_spec and numpy<2.4" >&2
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet "$brian2_spec" "numpy<2.4"
fi
exec "$python" "$here/brian2_comparison.py" --brian2-python "$venv/bin/python" "$@"
