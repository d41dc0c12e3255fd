"""Bounded inputs: every bomb and bound case of the catalogue fails fast and small, and the bounds hold at their edges.

Each BOUND_CASES config (tests/config_cases.py) is loaded by a fresh Python process
through the same path snakemake takes (``lifsim.config.load_merged``) under a 2 GiB
address-space limit; the process reports its own CPU time and peak resident memory
(``resource.getrusage``), which must stay below the issue's bounds: 2 s and 300 MB.
These are bounds with a wide margin (the cases take milliseconds), not a timing race.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from config_cases import BOUND_CASES, alias_bomb
from conftest import REPO, tiny_config

from lifsim.config import ConfigError, load_yaml_text
from lifsim.config.bounds import MAX_DEPTH, MAX_DIGITS, MAX_NODES, MAX_TEXT, check_bounds
from lifsim.config.errors import ConfigError as Error
from lifsim.config.errors import shown
from lifsim.units import UnitError, parse

BASE = tiny_config()

MEASURE = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
sys.path.insert(0, sys.argv[1])
from lifsim.config import ConfigError, load_merged
from lifsim.planning import plan
try:
    plan(load_merged([sys.argv[2]]))   # what the Snakefile does at DAG time (before the schema's defaults)
    message = None
except ConfigError as exc:
    message = str(exc)
usage = resource.getrusage(resource.RUSAGE_SELF)   # the whole process: start-up and imports included
# peak memory of this program: VmHWM of its own address space (ru_maxrss inherits the forking parent's peak)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"message": message, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": hwm / 1024}))
"""


@pytest.mark.parametrize("case", BOUND_CASES, ids=[c.id for c in BOUND_CASES])
def test_bound_case_fails_in_under_2_s_and_300_MB(case, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(case.render(BASE), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(REPO / "workflow"), str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["message"] is not None and f"config error at {case.path}: " in out["message"], out
    assert out["cpu_s"] < 2.0 and out["max_rss_mb"] < 300, out
    assert len(out["message"]) < 700 and "\n" not in out["message"], out["message"]


def test_the_bomb_is_about_a_kilobyte_and_just_below_the_caps_loads():
    assert 250 < len(alias_bomb()) < 1100
    # eight levels of nine: 9**6 + ... values would exceed the cap; four levels (7,381 values) load, all expanded
    small = "[" + ", ".join([f"&b0 [{', '.join(['1'] * 9)}]"] + [f"&b{i} [{', '.join([f'*b{i - 1}'] * 9)}]"
                                                                 for i in range(1, 4)]) + "]"
    data = load_yaml_text(f"x: {small}\n")
    assert len(data["x"][3]) == 9 and len(data["x"][3][0][0]) == 9 and data["x"][3][0][0][0] == [1] * 9
    deep = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    load_yaml_text(deep)
    with pytest.raises(ConfigError, match="nested at most"):
        load_yaml_text("x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    assert MAX_NODES >= 100 * 700   # the default config holds about 700 values: room to grow


def test_integer_and_text_bounds_at_their_edges():
    check_bounds({"seed": 10 ** MAX_DIGITS - 1, "x": "a" * MAX_TEXT, "k" * MAX_TEXT: [1.5, -0.0, True, None]})
    for data, fragment in (({"seed": 10 ** MAX_DIGITS}, "a 19-digit number"),
                           ({"seed": -(10 ** MAX_DIGITS)}, "a 19-digit number"),
                           ({"x": "a" * (MAX_TEXT + 1)}, "got 201 characters"),
                           ({"a": {"k" * (MAX_TEXT + 1): 1}}, "a key of at most"),
                           ({"a": [1, {"b": float("nan")}]}, "at a[1].b: expected a finite number")):
        with pytest.raises(ConfigError, match=fragment.replace("[", r"\[").replace(".", r"\.")):
            check_bounds(data)
    load_yaml_text(f"seed: {'9' * MAX_DIGITS}\n")
    with pytest.raises(ConfigError, match="at most 18 digits, got a 19-digit"):
        load_yaml_text(f"seed: {'9' * (MAX_DIGITS + 1)}\n")


def test_overrides_are_bounded_too(tmp_path):
    from lifsim.config import load_merged

    path = tmp_path / "config.yaml"
    path.write_text("seed: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="at dt: expected a finite number"):
        load_merged([path], {"dt": float("inf")})


def test_messages_never_echo_a_long_value():
    huge = "v" * 2**20
    exc = Error("a.b", f"expected something, got {huge!r} and {list(range(10**5))}\nsecond line")
    text = str(exc)
    assert len(text) < 700 and "\n" not in text and "(1048578 characters)" in text, text[:300]
    assert len(shown(huge)) < 120 and shown("short") == "'short'"
    assert str(Error("p" * 10**6, "expected x, got y")).count("p") < 300


@pytest.mark.parametrize("text, fragment", [
    ("+10 ms", "without a leading '+'"), ("１０ ms", "U+FF11"), ("10\xa0ms", "U+00A0"), ("10\u2009ms", "U+2009"),
    ("1e-320 ms", "underflows"), ("1e-400 ms", "underflows a float (to 0.0)"), ("1" * 41 + " ms", "at most 40"),
    ("10 ms" + " " * 100, "105 characters"),
])
def test_unit_numbers_are_plain_ascii_and_representable(text, fragment):
    with pytest.raises(UnitError, match=fragment.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        parse(text, "time")


def test_plain_numbers_still_parse_exactly():
    assert parse("10 ms", "time") == parse("0.01 s", "time") == 0.01
    assert parse("-0 ms", "time") == 0.0 and parse("1e+3 ms", "time") == 1.0
    assert parse("2.3e-305 s", "time") == 2.3e-305       # small but normal: fine
    assert parse("1" * 40 + " pA", "current") == float("1" * 40 + "e-12")   # scaled in decimal, rounded once
