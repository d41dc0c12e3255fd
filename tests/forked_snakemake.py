"""Run the real snakemake command line many times without paying its 0.8 s import each time.

:func:`run` forks the test process (which has imported ``snakemake.cli`` once) and,
in the child, calls ``snakemake.cli.main(args)`` -- exactly what ``python -m
snakemake`` runs -- inside ``folder``, with stdout and stderr sent to files and
lifsim's modules dropped from the import cache, so that the child loads the
lifsim of the copied workflow as a fresh process would. The child is a separate
process with its own exit status; the parent only waits for it.
``tests/test_config_errors.py`` checks that this gives the same outcome as a
plain subprocess.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(folder: Path, *args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``snakemake *args`` in ``folder`` in a forked child (``env``: variables it adds to the environment);
    return its exit code and output."""
    import snakemake.cli  # noqa: F401 - imported once, before forking

    handles = [tempfile.mkstemp(prefix=f"forked_snakemake_{name}_") for name in ("stdout", "stderr")]
    for fd, _ in handles:
        os.close(fd)
    out, err = (Path(path) for _, path in handles)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.environ.update(env or {})
            code = _child(folder, out, err, list(args))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            out.unlink()
            err.unlink()
            raise TimeoutError(f"snakemake {' '.join(args)} did not finish within {timeout} s in {folder}")
        time.sleep(0.01)
    result = subprocess.CompletedProcess(["snakemake", *args], os.waitstatus_to_exitcode(status),
                                         out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))
    out.unlink()
    err.unlink()
    return result


def _child(folder: Path, out: Path, err: Path, args: list[str]) -> int:
    import snakemake.cli

    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    for name in [m for m in sys.modules if m == "lifsim" or m.startswith("lifsim.")]:
        del sys.modules[name]
    os.chdir(folder)
    try:
        snakemake.cli.main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # pragma: no cover - main() handles its own errors
        import traceback

        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    return code
