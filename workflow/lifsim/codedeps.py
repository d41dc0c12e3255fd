"""The lifsim modules a script runs: its import closure, read from the source (nothing is imported).

The rules list a job's package code as inputs, so that editing a module the job
runs reruns the job (and editing any other module reruns nothing). The list is
computed here, never written by hand: every ``import`` and ``from ... import``
statement of the package, at module level or inside a function (a lazy import
runs too), followed transitively; a submodule brings its packages'
``__init__.py``. The stage functions of an experiment kind are named by
strings (``lifsim.kinds.base``), so the rules add the closure of the kind's
module and of its stage's module to the script's.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = "lifsim"
ROOT = Path(__file__).resolve().parent          # .../workflow/lifsim


def module_path(module: str) -> Path | None:
    """The file of a lifsim module (``lifsim.sim.run`` -> ``.../lifsim/sim/run.py``), or None."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    rel = path.resolve().relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _with_parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


# path -> [mtime_ns, size, imports]: filled from and saved to a file by the caller (workflow/rules/common.smk)
# so that a DAG build re-parses only the files that changed.
CACHE: dict[str, list] = {}


def direct_imports(path: Path) -> frozenset[str]:
    """The lifsim modules ``path`` imports directly (absolute and relative imports, at any depth)."""
    stat = path.stat()
    hit = CACHE.get(str(path))
    if hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
        return frozenset(hit[2])
    found = _parse_imports(path)
    CACHE[str(path)] = [stat.st_mtime_ns, stat.st_size, sorted(found)]
    return found


@cache
def _parse_imports(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside = path.resolve().is_relative_to(ROOT)
    package = module_name(path) if inside else ""
    if inside and path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not inside:
                    continue
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            found.add(target)
            for alias in node.names:  # `from lifsim import io` imports the module lifsim.io
                if module_path(f"{target}.{alias.name}") is not None:
                    found.add(f"{target}.{alias.name}")
    return frozenset(m for name in found for m in _with_parents(name) if module_path(m) is not None)


def closure(paths=(), modules=()) -> list[Path]:
    """Every lifsim module file that the files ``paths`` and the modules ``modules`` import, transitively
    (the modules themselves included), sorted."""
    todo = [m for name in modules for m in _with_parents(name)]
    seen_files: set[Path] = set()
    for path in paths:
        todo.extend(direct_imports(Path(path).resolve()))
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        file = module_path(module)
        if file is None:
            continue
        seen_files.add(file)
        todo.extend(direct_imports(file))
    return sorted(seen_files)
