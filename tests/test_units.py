import math

import pytest

from lifsim import units


@pytest.mark.parametrize("text, dim, value", [
    ("10 ms", "time", 0.01), ("0.1 ms", "time", 1e-4), ("100 us", "time", 1e-4), ("1.0e-4 s", "time", 1e-4),
    ("-80 mV", "voltage", -0.08), ("10 MOhm", "resistance", 1e7), ("3.5 nA", "current", 3.5e-9),
    ("30 nS", "conductance", 3e-8), ("5 Hz", "frequency", 5.0), ("-0 mV", "voltage", 0.0),
])
def test_parse_gives_exact_si_floats(text, dim, value):
    assert units.parse(text, dim) == value        # exact, not approximate


def test_spellings_of_the_same_quantity_are_the_same_float():
    assert units.parse("0.001 s", "time") == units.parse("1.0e-3 s", "time") == units.parse("1 ms", "time")


@pytest.mark.parametrize("text, fragment", [
    ("10 mV", "which is a voltage"), ("10", "missing unit"), (10, "missing unit"), ("10 furlong", "unknown unit"),
    ("abc ms", "not a number"), ("nan ms", "finite"), ("inf ms", "finite"), (None, "expected a time"),
    (True, "expected a time"),
])
def test_parse_rejects_with_a_message_saying_what_was_expected(text, fragment):
    with pytest.raises(units.UnitError, match="expected") as info:
        units.parse(text, "time")
    assert fragment in str(info.value)


def test_display_units():
    assert units.to_display(0.01, "time") == 10.0
    assert math.isclose(units.to_display(3e-8, "conductance"), 30.0)
