"""Physical quantities written as text, e.g. ``"10 ms"`` or ``"-80 mV"``.

The config gives every physical value with its unit. This module turns such a
string into a float in SI base units (s, V, A, S, Ohm, Hz) and checks its
dimension. It is deliberately tiny (a table, no unit algebra): importing it
costs nothing at DAG-build time, and the numbers are exact in the sense that
``"0.1 ms"``, ``"100 us"`` and ``"1.0e-4 s"`` give the very same float (the
scaling is done in decimal arithmetic and rounded once).
"""
from __future__ import annotations

import math
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation

# dimension -> human name used in error messages
DIMENSIONS = {
    "time": "a time (s, ms, us)",
    "voltage": "a voltage (V, mV, uV)",
    "current": "a current (A, mA, uA, nA, pA)",
    "conductance": "a conductance (S, mS, uS, nS, pS)",
    "resistance": "a resistance (Ohm, kOhm, MOhm, GOhm)",
    "frequency": "a frequency (Hz, kHz)",
}

# unit symbol -> (dimension, power of ten to the SI base unit)
UNITS: dict[str, tuple[str, int]] = {
    "s": ("time", 0), "ms": ("time", -3), "us": ("time", -6),
    "V": ("voltage", 0), "mV": ("voltage", -3), "uV": ("voltage", -6),
    "A": ("current", 0), "mA": ("current", -3), "uA": ("current", -6),
    "nA": ("current", -9), "pA": ("current", -12),
    "S": ("conductance", 0), "mS": ("conductance", -3), "uS": ("conductance", -6),
    "nS": ("conductance", -9), "pS": ("conductance", -12),
    "Ohm": ("resistance", 0), "kOhm": ("resistance", 3),
    "MOhm": ("resistance", 6), "GOhm": ("resistance", 9),
    "Hz": ("frequency", 0), "kHz": ("frequency", 3),
}

# The units datasets and figures use for each dimension (UDUNITS symbols).
DISPLAY_UNITS = {"time": "ms", "voltage": "mV", "current": "nA",
                 "conductance": "nS", "resistance": "MOhm", "frequency": "Hz"}

_QUANTITY = re.compile(r"^\s*(?P<num>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*(?P<unit>[A-Za-z]+)\s*$", re.ASCII)
MAX_NUMBER = 40        # characters of the number in a quantity ("0.000123", "-1.5e-3"): more is a typo or an attack
SHOWN = 80             # characters of a value echoed in a message


class UnitError(ValueError):
    """A value that is not a quantity of the expected dimension."""


def parse(text: object, dimension: str) -> float:
    """Return ``text`` (e.g. ``"10 ms"``) as a float in SI units.

    Raises :class:`UnitError` with a message saying what was expected and what
    was given when the text is not a number followed by a known unit of
    ``dimension``, or is not finite.
    """
    expected = DIMENSIONS[dimension]
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise UnitError(f"expected {expected}, e.g. '{_example(dimension)}', got {text!r}")
    if isinstance(text, (int, float)):
        raise UnitError(f"expected {expected} with a unit, e.g. '{_example(dimension)}', "
                        f"got the bare number {text!r} (missing unit)")
    _check_text(text, expected, dimension)
    match = _QUANTITY.match(text)
    if match is None:
        if re.search(r"nan|inf", text, re.IGNORECASE):
            raise UnitError(f"expected a finite {_noun(dimension)}, got {text!r}")
        if re.match(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$", text, re.ASCII):
            raise UnitError(f"expected {expected} with a unit, e.g. '{_example(dimension)}', "
                            f"got {text!r} (missing unit)")
        raise UnitError(f"expected {expected}, e.g. '{_example(dimension)}', got {text!r} "
                        "(not a number followed by a unit)")
    unit = match["unit"]
    if unit not in UNITS:
        raise UnitError(f"expected {expected}, got {text!r}: unknown unit {unit!r}{_unit_hint(unit, dimension)}")
    dim, power = UNITS[unit]
    if dim != dimension:
        raise UnitError(f"expected {expected}, got {text!r}, which is {DIMENSIONS[dim].split(' (')[0]}")
    try:
        value = Decimal(match["num"]).scaleb(power)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise UnitError(f"expected {expected}, got {text!r}") from exc
    if not math.isfinite(float(value)):
        raise UnitError(f"expected a finite {_noun(dimension)}, got {text!r}, which is too large for a float")
    if value and abs(float(value)) < sys.float_info.min:
        raise UnitError(f"expected a {_noun(dimension)} that is 0 or at least {sys.float_info.min:.1e} "
                        f"{_base_unit(dimension)} in size, got {text!r}, which underflows a float "
                        f"(to {float(value)!r})")
    return float(value)


def _check_text(text: str, expected: str, dimension: str) -> None:
    """Refuse what the number grammar would misread: non-ASCII characters, a leading '+', an endless number."""
    if len(text) > SHOWN:
        number = re.match(r"\s*\S*", text).group()
        what = (f"a {len(number.strip())}-character number" if len(number.strip()) > MAX_NUMBER else
                f"{len(text)} characters")
        raise UnitError(f"expected {expected}, e.g. '{_example(dimension)}' (a number of at most {MAX_NUMBER} "
                        f"characters and a unit), got {what}: {text[:60]!r}…")
    odd = next((c for c in text if not c.isascii()), None)
    if odd is not None:
        name = unicodedata.name(odd, "unnamed")
        raise UnitError(f"expected {expected} in plain ASCII, e.g. '{_example(dimension)}' (digits 0-9, a plain "
                        f"space), got {text!r}, which holds {odd!r} (U+{ord(odd):04X} {name})")
    if text.strip().startswith("+"):
        raise UnitError(f"expected {expected} without a leading '+', e.g. '{text.strip()[1:].strip()}', "
                        f"got {text!r}")
    number = re.match(r"\s*([-+]?[0-9.eE+-]*)", text).group(1)
    if len(number) > MAX_NUMBER:
        raise UnitError(f"expected {expected} with a number of at most {MAX_NUMBER} characters, got a "
                        f"{len(number)}-character number in {text[:60]!r}{'…' if len(text) > 60 else ''}")


def _base_unit(dimension: str) -> str:
    return next(u for u, (dim, power) in UNITS.items() if dim == dimension and power == 0)


def _noun(dimension: str) -> str:
    """``time`` -> ``time``; the dimension's name without its article and unit list."""
    return DIMENSIONS[dimension].split(" (")[0].removeprefix("a ")


def _unit_hint(unit: str, dimension: str) -> str:
    """``; did you mean 'nS'?`` for a unit that differs from a known one of ``dimension`` only in case."""
    same_dim = [u for u, (dim, _) in UNITS.items() if dim == dimension]
    matches = [u for u in same_dim if u.lower() == unit.lower()]
    if not matches:
        matches = [u for u in same_dim if u.lower() in {unit.lower().rstrip("s"), unit.lower()[:len(u)]}]
    return f"; did you mean {matches[0]!r}?" if matches else ""


def to_display(value_si, dimension: str):
    """Convert an SI value (float or array) to the display unit of ``dimension``."""
    _, power = UNITS[DISPLAY_UNITS[dimension]]
    return value_si * 10.0 ** (-power)


def _example(dimension: str) -> str:
    return {"time": "10 ms", "voltage": "-80 mV", "current": "3 nA", "conductance": "30 nS",
            "resistance": "10 MOhm", "frequency": "50 Hz"}[dimension]
