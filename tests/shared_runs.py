"""Complete pipeline runs shared by the whole test session, built once in the background.

A run named here (``tiny_run``: the tiny config at ``-c2``; ``serial_run``: the same at ``-c1``) is built
once per session, not once per pytest-xdist worker: the first worker to reach :func:`start` takes an
``fcntl`` lock on a folder that all workers of the session share (the parent of each worker's base
temporary folder), copies the workflow there and starts ``snakemake`` as a child process, which writes its
exit code to a file when it ends. Workers go on running other tests meanwhile (tests/conftest.py starts the
runs when the session begins and schedules the tests that read them after others); :func:`wait` blocks until
the exit code is there. The folder is shared: tests read it and copy it (``copy_run``) before they change
anything in it.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# name -> snakemake's cores; tiny_run also records every job's imports (tests/test_codedeps.py)
RUNS = {"tiny_run": "-c2", "serial_run": "-c1"}
IMPORTS_LOG = "imports.jsonl"
TIMEOUT = 900.0                       # s: a run of the tiny config takes about a minute
# the child: run snakemake, then write its exit code atomically (the waiting workers poll for the file)
FINISH = ("import os, subprocess, sys\n"
          "code = subprocess.run(sys.argv[2:]).returncode\n"
          "open(sys.argv[1] + '.part', 'w').write(str(code))\n"
          "os.replace(sys.argv[1] + '.part', sys.argv[1])\n")


STARTED: list[subprocess.Popen] = []     # the runs this process started


def shared_root(tmp_path_factory) -> Path:
    """The folder all workers of this session share: the parent of a worker's base temp, or the base temp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def start(root: Path, name: str, prepare) -> subprocess.Popen | None:
    """Start run ``name`` in the folder ``prepare(folder)`` fills with the workflow, unless a worker of this
    session has started it; the child process if this one did."""
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # released when the file closes
        started = root / f"{name}.started"
        if started.exists():
            return None
        folder = prepare(root / name)
        env = {**os.environ}
        if name == "tiny_run":
            env["LIFSIM_IMPORTS_LOG"] = str(folder / IMPORTS_LOG)
        with open(root / f"{name}.log", "w", encoding="utf-8") as log:
            child = subprocess.Popen([sys.executable, "-c", FINISH, str(root / f"{name}.rc"), sys.executable,
                                      "-m", "snakemake", RUNS[name]], cwd=folder, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                     start_new_session=True)      # its own process group: see finish()
        started.write_text(str(child.pid), encoding="utf-8")
        STARTED.append(child)
        return child


def wait(root: Path, name: str, prepare) -> Path:
    """The folder of run ``name`` once its snakemake has ended well (started here if nobody has)."""
    start(root, name, prepare)
    rc = root / f"{name}.rc"
    deadline = time.monotonic() + TIMEOUT
    while not rc.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{name}: snakemake {RUNS[name]} did not end within {TIMEOUT:.0f} s (log: {root / name}.log)")
        time.sleep(0.1)
    if rc.read_text(encoding="utf-8") != "0":
        log = (root / f"{name}.log").read_text(encoding="utf-8")
        pytest.fail(f"{name}: snakemake {RUNS[name]} exited {rc.read_text()}:\n{log[-6000:]}")
    return root / name


def copy_run(src: Path, dest: Path) -> Path:
    """A private copy of a finished run (results, mtimes and .snakemake metadata kept) that a test may change."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def finish(interrupted: bool) -> None:
    """At the end of this process's session: let the runs it started end (another worker may still wait for
    them), or stop them (their process groups) when the session was interrupted."""
    for child in STARTED:
        if not interrupted:
            try:
                child.wait(timeout=TIMEOUT)
                continue
            except subprocess.TimeoutExpired:
                pass
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait()
