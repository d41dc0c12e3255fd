"""lifsim.summary.json_text.dumps writes exactly the text of json.dumps(indent=1, sort_keys=True), long lists too."""
import json
import math

import numpy as np
import pytest

from lifsim.summary.common import clean, clean_list
from lifsim.summary.json_text import LONG, dumps, flat_numbers


def reference(numbers) -> str:
    return json.dumps(numbers, indent=1, sort_keys=True) + "\n"


def numbers_list(rng, n, with_none=True):
    values = rng.standard_normal(n) * 10.0 ** rng.integers(-300, 300, n)
    out = [float(v) for v in values]
    for i in rng.integers(0, n, n // 10):
        out[i] = None if with_none else 0
    out[:4] = [0.0, -0.0, 1, math.inf] if n >= 4 else out[:4]
    return out


@pytest.mark.parametrize("seed", range(5))
def test_same_text_as_the_standard_encoder(seed):
    rng = np.random.default_rng(seed)
    numbers = {
        "measured": {"rates_isi_hz": [numbers_list(rng, 300) for _ in range(3)], "short": [1.5, None, 2],
                     "errors": [{"points": 3, "sigma_mV": 2.0, "series": numbers_list(rng, LONG)}],
                     "exactly_short": numbers_list(rng, LONG - 1), "empty": [], "nested": [[], [[1.0] * LONG]]},
        "flags": [True, False] * LONG, "text": ["a, b", "c"] * LONG, "mixed": [1.0, "x"] + [2.0] * LONG,
        "tuple": tuple(numbers_list(rng, 100)), "zkey": None, "akey": "lifsim",
    }
    assert dumps(numbers) == reference(numbers)


def test_top_level_list_and_scalars():
    rng = np.random.default_rng(9)
    for value in [numbers_list(rng, 1000), [numbers_list(rng, 70)], 3.5, None, "text", {}]:
        assert dumps(value) == reference(value)


def test_the_fast_way_is_taken_for_long_lists_of_numbers_only():
    values = [0.5] * LONG
    assert flat_numbers(values) and flat_numbers([None, 1, True] * LONG)
    assert not flat_numbers(values[1:]) and not flat_numbers(values + ["x"]) and not flat_numbers(values + [[1.0]])
    assert not flat_numbers(list(np.zeros(LONG)))   # numpy scalars: the standard encoder decides
    assert dumps({"a": values}) == '{\n "a": [\n' + ",\n".join(["  0.5"] * LONG) + "\n ]\n}\n"


def test_clean_list_is_clean_of_each_value():
    values = np.array([1.25, np.nan, -3e-300, np.inf, 0.0], dtype=np.float32).astype(np.float64)
    values[1] = np.nan
    assert clean_list(values) == [clean(v) for v in values]
    assert clean_list(np.float32([0.1, np.nan])) == [clean(np.float32(0.1)), None]
