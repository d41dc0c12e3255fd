"""lifsim.numba_start: the one place lifsim imports numba from, 512-bit vectors where the host has AVX-512."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from lifsim.numba_start import NO_256_BIT_PREFERENCE, wide_vector_features

WORKFLOW = Path(__file__).resolve().parents[1] / "workflow"
PROBE = ("{first}import lifsim.noisy.exact_noise, lifsim.sim.jit; from lifsim.numba_start import wide_vectors; "
         "print(wide_vectors())")           # the kernels' modules imported, Numba's CPU target started


def host_has_avx512() -> bool:
    from numba.core.codegen import get_host_cpu_features

    return wide_vector_features(get_host_cpu_features()) is not None


def wide_in_a_new_process(first: str = "", **env) -> bool:
    environ = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES")}
    out = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], capture_output=True, text=True, check=True,
                         cwd=WORKFLOW, env={**environ, **env})
    return out.stdout.split()[-1] == "True"


def test_no_lifsim_module_imports_numba_but_numba_start():
    """Numba reads the CPU features once, when it creates its target: every module must come through numba_start."""
    offenders = []
    for path in (WORKFLOW / "lifsim").rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            if any(n == "numba" or n.startswith("numba.") for n in names) and path.name != "numba_start.py":
                offenders.append(f"{path.relative_to(WORKFLOW)}:{node.lineno}")
    assert offenders == []


def test_wide_vectors_are_asked_for_exactly_where_the_host_has_avx512f():
    host = "+64bit,+avx,+avx2,+avx512f,+fma"
    assert wide_vector_features(host) == f"{host},{NO_256_BIT_PREFERENCE}"
    assert wide_vector_features("+64bit,+avx,+avx2,-avx512f,+fma") is None
    assert wide_vector_features("+64bit,+avx512fp16") is None          # a feature named alike is not AVX-512F


def test_the_compiled_kernels_use_wide_vectors_unless_the_user_or_an_earlier_import_chose():
    assert wide_in_a_new_process() == host_has_avx512()
    assert not wide_in_a_new_process(first="import numba; ")                   # numba first: its default stays
    assert not wide_in_a_new_process(NUMBA_CPU_NAME="generic")                  # the user's target
    assert not wide_in_a_new_process(NUMBA_CPU_FEATURES="+64bit,+sse,+sse2")
