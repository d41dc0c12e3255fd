"""The documentation: the site builds strictly, the configuration reference covers the schema, and every code
block marked runnable (``<!-- runnable -->`` on the line before its fence; docs/writing-docs.md) runs."""
import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_workflow

MARKER = "<!-- runnable -->"
PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def load_hook():
    spec = importlib.util.spec_from_file_location("config_reference", REPO / "docs" / "hooks" / "config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def without_examples(text: str) -> str:
    """``text`` with examples of Markdown (````-fenced blocks, inline code) blanked, line numbers kept."""
    text = re.sub(r"^````.*?^````$", lambda m: "\n" * m[0].count("\n"), text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "``", text)


def runnable_blocks() -> list[tuple[str, str, str]]:
    """(where, language, code) of every fenced block right after the marker line."""
    fence = re.compile(r"^" + re.escape(MARKER) + r"\n```(bash|python)[^\n]*\n(.*?)^```$", re.M | re.S)
    found = []
    for page in PAGES:
        text = without_examples(page.read_text(encoding="utf-8"))
        blocks = list(fence.finditer(text))
        assert text.count(MARKER) == len(blocks), f"{page}: a {MARKER} line not followed by a bash or python fence"
        for m in blocks:
            found.append((f"{page.relative_to(REPO)}:{text[: m.start()].count(chr(10)) + 1}", m[1], m[2]))
    return found


BLOCKS = runnable_blocks()


def test_the_docs_mark_enough_blocks_runnable():
    where = {b[0].split(":")[0] for b in BLOCKS}
    assert len(BLOCKS) >= 5 and "README.md" in where and "docs/cli.md" in where, BLOCKS
    assert {lang for _, lang, _ in BLOCKS} == {"bash", "python"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A fresh copy of the workflow, and a `lifsim` command that runs this checkout's package."""
    folder = copy_workflow(tmp_path_factory.mktemp("docs"))
    shutil.copytree(REPO / "configs", folder / "configs")
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "lifsim"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lifsim "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(folder / "workflow"), "MPLBACKEND": "Agg"}
    return folder, env


@pytest.mark.parametrize("where, language, code", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_runnable_block_runs(sandbox, where, language, code):
    folder, env = sandbox
    command = ["bash", "-euo", "pipefail", "-c", code] if language == "bash" else [sys.executable, "-c", code]
    proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    output = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, f"{where} exited {proc.returncode}:\n{code}\n{output}"


def test_the_configuration_reference_covers_every_schema_key_with_a_description():
    hook = load_hook()
    schema = hook.load_schema()
    text = hook.render(schema)
    entries = hook.rows(schema, schema, "")
    for name, node in schema["definitions"].items():
        entries += [(f"{name}: {path}", sub, req) for path, sub, req in hook.rows(node, schema, "")]
    assert len(entries) > 60
    missing = [path for path, node, _ in entries if not hook.description(node, schema)]
    assert not missing, f"schema keys without a description (add one): {missing}"
    for path, _, _ in hook.rows(schema, schema, ""):
        assert f"| `{path}` |" in text, path
    for name in schema["definitions"]:
        assert f"### {name}\n" in text, name
    page = (REPO / "docs" / "reference" / "configuration.md").read_text(encoding="utf-8")
    assert hook.MARKER in page and "| `" not in page   # the page holds no hand-written copy of the table


def test_the_site_builds_strictly(tmp_path):
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings") is None:
        pytest.skip("mkdocs / mkdocstrings not installed (pip install -e '.[docs]'; .ci/quality installs them)")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    reference = (site / "reference" / "configuration" / "index.html").read_text(encoding="utf-8")
    for key in ("seed", "experiments.&lt;name&gt;.sweep", "figures.dpi", "tau_m"):
        assert f"<code>{key}</code>" in reference, key
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="lifsim.config.load_merged"' in api and 'id="lifsim.units.parse"' in api
    for page in ("integrators", "science", "reruns", "archives", "troubleshooting", "cluster", "benchmarks",
                 "architecture", "cli"):
        assert (site / page / "index.html").is_file(), page


def test_the_readme_is_a_front_door():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    assert 'pip install -e ".[test]" && snakemake -c4' in text and "python -m pytest" in text
    assert (REPO / ".ci" / "run").read_text().count("python3 -m pytest") == 1   # CI runs the README's command


def test_the_readme_lists_every_default_experiment_and_the_noise_convention():
    from conftest import default_config

    text = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    for name, exp in default_config()["experiments"].items():
        label = f"`{name}`" if name == exp["kind"] else f"`{name}` (`{exp['kind']}`)"
        assert any(row.startswith(f"| {label} |") for row in rows), name
    assert "τ_m dV = (...) dt + σ √τ_m dW" in text and "standard deviation σ/√2" in text
